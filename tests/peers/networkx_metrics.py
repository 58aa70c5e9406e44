"""networkx's side of tests/peers_networkx.rs.

Usage: python networkx_metrics.py JOBS.json

JOBS.json is a list of jobs; the script prints one JSON object to stdout:
{"networkx": <version>, "results": [<one result per job, in job order>]}.

Jobs:
- {"kind": "metrics", "agents": n, "edges": "path.csv"}: the graph on nodes 0..n-1 (added
  in that order, so per-node lists are in node order) with the ties of the CSV file
  (header source,target). Result: average_clustering, transitivity, density, components,
  largest_component, clustering, triangles, betweenness (normalised).
- {"kind": "watts_strogatz", "n": n, "k": k}: edges of nx.watts_strogatz_graph(n, k, 0).
- {"kind": "grid_2d", "rows": h, "columns": w, "periodic": bool}: edges of
  nx.grid_2d_graph(h, w, periodic), node (i, j) numbered i * w + j.
- {"kind": "graphml", "path": "x.graphml"}: a network file of `gotong run`, read with
  nx.read_graphml. Result: agents, ties, density, average_clustering, transitivity,
  components, largest_component_share, mean_trust (over both directions of every tie), roles.
Edges come back as sorted [low, high] pairs.
"""

import csv
import json
import sys

import networkx as nx


def read_graph(agents, path):
    graph = nx.Graph()
    graph.add_nodes_from(range(agents))
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            graph.add_edge(int(row["source"]), int(row["target"]))
    if graph.number_of_nodes() != agents:
        raise ValueError(f"{path}: ties name nodes outside 0..{agents}")
    return graph


def in_node_order(values, agents):
    return [values[node] for node in range(agents)]


def metrics(job):
    agents = job["agents"]
    graph = read_graph(agents, job["edges"])
    components = list(nx.connected_components(graph))
    return {
        "average_clustering": nx.average_clustering(graph) if agents else 0.0,
        "transitivity": nx.transitivity(graph),
        "density": nx.density(graph),
        "components": nx.number_connected_components(graph),
        "largest_component": max((len(c) for c in components), default=0),
        "clustering": in_node_order(nx.clustering(graph), agents),
        "triangles": in_node_order(nx.triangles(graph), agents),
        "betweenness": in_node_order(nx.betweenness_centrality(graph, normalized=True), agents),
    }


def sorted_edges(edges):
    return sorted(sorted(edge) for edge in edges)


def watts_strogatz(job):
    graph = nx.watts_strogatz_graph(job["n"], job["k"], 0)
    return {"edges": sorted_edges(graph.edges())}


def grid_2d(job):
    rows, columns = job["rows"], job["columns"]
    graph = nx.grid_2d_graph(rows, columns, periodic=job["periodic"])
    number = {(i, j): i * columns + j for i in range(rows) for j in range(columns)}
    return {"edges": sorted_edges((number[a], number[b]) for a, b in graph.edges())}


def graphml(job):
    """A network file written by `gotong run`: structure metrics and mean trust over views."""
    graph = nx.read_graphml(job["path"])
    agents = graph.number_of_nodes()
    trust = [value for _, _, data in graph.edges(data=True)
             for value in (data["trust_source_target"], data["trust_target_source"])]
    roles = {data["role"] for _, data in graph.nodes(data=True)}
    return {
        "agents": agents,
        "ties": graph.number_of_edges(),
        "density": nx.density(graph),
        "average_clustering": nx.average_clustering(graph) if agents else 0.0,
        "transitivity": nx.transitivity(graph),
        "components": nx.number_connected_components(graph),
        "largest_component_share": max((len(c) for c in nx.connected_components(graph)), default=0) / agents,
        "mean_trust": sum(trust) / len(trust) if trust else None,
        "roles": sorted(roles),
    }


KINDS = {"metrics": metrics, "watts_strogatz": watts_strogatz, "grid_2d": grid_2d, "graphml": graphml}


def main():
    with open(sys.argv[1]) as handle:
        jobs = json.load(handle)
    results = [KINDS[job["kind"]](job) for job in jobs]
    json.dump({"networkx": nx.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
