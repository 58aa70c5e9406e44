"""Mesa's side of tests/peers_mesa.rs: the pd_grid example shipped with mesa.

Usage: python mesa_pd_grid.py JOBS.json DIR

JOBS.json is a list of jobs {"width": w, "height": h, "seed": s, "steps": n, "b": b}. For
each job the script builds mesa.examples.advanced.pd_grid's PdGrid(w, h, "Simultaneous",
seed=s) with the example's payoffs, the temptation (D, C) set to b,
writes its initial grid to DIR/moves-<index>.csv (columns x,y,move; x is the first element
of a cell's coordinate), runs n steps and records the number of agents whose move is C
before the first step and after each one (the example's own "Cooperating_Agents").
It prints one JSON object: {"mesa": <version>, "results": [{"moves": path, "cooperators":
[n0, n1, ...]}, ...]}.
"""

import json
import os
import sys

import mesa
from mesa.examples.advanced.pd_grid.model import PdGrid


def run(job, path):
    payoffs = {("C", "C"): 1, ("C", "D"): 0, ("D", "C"): job["b"], ("D", "D"): 0}
    model = PdGrid(
        job["width"], job["height"], "Simultaneous", payoffs=payoffs, seed=job["seed"]
    )
    with open(path, "w") as out:
        out.write("x,y,move\n")
        for agent in model.agents:
            x, y = agent.cell.coordinate
            out.write(f"{x},{y},{agent.move}\n")
    model.run(job["steps"])
    counts = model.datacollector.get_model_vars_dataframe()["Cooperating_Agents"]
    return {"moves": path, "cooperators": [int(c) for c in counts]}


def main():
    jobs = json.load(open(sys.argv[1]))
    folder = sys.argv[2]
    results = [run(job, os.path.join(folder, f"moves-{i}.csv")) for i, job in enumerate(jobs)]
    print(json.dumps({"mesa": mesa.__version__, "results": results}))


if __name__ == "__main__":
    main()
