"""networkx's side of tests/peers_networkx.rs.

Usage: python networkx_metrics.py JOBS.json

JOBS.json is a list of jobs; the script prints one JSON object to stdout:
{"networkx": <version>, "numpy": <version>, "results": [<one result per job, in job order>]}.

Jobs:
- {"kind": "metrics", "agents": n, "edges": "path.csv"}: the graph on nodes 0..n-1 (added
  in that order, so per-node lists are in node order) with the ties of the CSV file
  (header source,target). Result: average_clustering, transitivity, density, components,
  largest_component, clustering, triangles, betweenness (normalised),
  average_shortest_path_length (of the largest component),
  degree_assortativity_coefficient and degree_assortativity_exact (the same coefficient
  in exact rational arithmetic, rounded once: which side of a difference is rounding).
- {"kind": "graphml", "path": "x.graphml"}: a network file of `gotong run`, read with
  nx.read_graphml. Result: agents, ties, density, average_clustering, transitivity,
  components, largest_component_share, average_shortest_path_length,
  degree_assortativity_coefficient, mean_trust (over both directions of every tie), roles.
- {"kind": "watts_strogatz", "n": n, "k": k}: edges of nx.watts_strogatz_graph(n, k, 0).
- {"kind": "grid_2d", "rows": h, "columns": w, "periodic": bool}: edges of
  nx.grid_2d_graph(h, w, periodic), node (i, j) numbered i * w + j.
Edges come back as sorted [low, high] pairs. An undefined value (networkx raises, or
returns NaN) comes back as null.
"""

import csv
import json
import math
import sys
from fractions import Fraction

import networkx as nx
import numpy as np


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


def largest_component_path_length(graph):
    """average_shortest_path_length of the largest component; the first largest in
    node order when several are (what max over connected_components returns)."""
    if graph.number_of_nodes() == 0:
        return None  # networkx raises NetworkXPointlessConcept on the null graph
    largest = max(nx.connected_components(graph), key=len)
    return nx.average_shortest_path_length(graph.subgraph(largest))


def assortativity(graph):
    """degree_assortativity_coefficient; NaN (all degrees equal, no ties) becomes None."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = nx.degree_assortativity_coefficient(graph)
    return value if math.isfinite(value) else None


def exact_assortativity(graph):
    """Pearson's r of (degree(u), degree(v)) over every edge in both directions, in
    fractions: cov / var (the two variances are equal as every edge counts both ways)."""
    pairs = [(graph.degree(u), graph.degree(v)) for u, v in graph.edges()]
    pairs += [(y, x) for x, y in pairs]
    if not pairs:
        return None
    mean = Fraction(sum(x for x, _ in pairs), len(pairs))
    covariance = sum((x - mean) * (y - mean) for x, y in pairs)
    variance = sum((x - mean) ** 2 for x, _ in pairs)
    return float(covariance / variance) if variance else None


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
        "average_shortest_path_length": largest_component_path_length(graph),
        "degree_assortativity_coefficient": assortativity(graph),
        "degree_assortativity_exact": exact_assortativity(graph),
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
        "average_shortest_path_length": largest_component_path_length(graph),
        "degree_assortativity_coefficient": assortativity(graph),
        "mean_trust": sum(trust) / len(trust) if trust else None,
        "roles": sorted(roles),
    }


KINDS = {"metrics": metrics, "watts_strogatz": watts_strogatz, "grid_2d": grid_2d, "graphml": graphml}


def main():
    with open(sys.argv[1]) as handle:
        jobs = json.load(handle)
    results = [KINDS[job["kind"]](job) for job in jobs]
    json.dump({"networkx": nx.__version__, "numpy": np.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
