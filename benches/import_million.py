#!/usr/bin/env python3
"""Writes the million-edge import of docs/performance.md into FOLDER: people.csv (100,000
people: 5% teachers, 45% students, 50% parents), ties.csv (1,000,000 random pairs drawn by
the xorshift generator of tests/import.rs, so the same file), school.graphml (the same
network as GraphML) and the scenarios million.toml (CSV) and million_graphml.toml.

Usage: python3 benches/import_million.py FOLDER
"""
import os
import sys

NODES, TIES = 100_000, 1_000_000
MASK = (1 << 64) - 1


def role(i):
    return "teacher" if i % 20 == 0 else "student" if i % 20 <= 9 else "parent"


def pairs():
    state = 0x2545F4914F6CDD1D
    for _ in range(TIES):
        ends = []
        for _ in range(2):
            state ^= (state << 13) & MASK
            state ^= state >> 7
            state ^= (state << 17) & MASK
            ends.append(state % NODES)
        yield ends


def main(folder):
    os.makedirs(folder, exist_ok=True)
    path = lambda name: os.path.join(folder, name)
    with open(path("people.csv"), "w") as f:
        f.write("id,role\n")
        f.writelines(f"p{i},{role(i)}\n" for i in range(NODES))
    with open(path("ties.csv"), "w") as f:
        f.write("source,target\n")
        f.writelines(f"p{a},p{b}\n" for a, b in pairs())
    with open(path("school.graphml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<graphml>\n')
        f.write('<key id="role" for="node" attr.name="role" attr.type="string"/>\n')
        f.write('<graph edgedefault="undirected">\n')
        f.writelines(f'<node id="p{i}"><data key="role">{role(i)}</data></node>\n' for i in range(NODES))
        f.writelines(f'<edge source="p{a}" target="p{b}"/>\n' for a, b in pairs())
        f.write("</graph>\n</graphml>\n")
    network = '[network]\nkind = "import"\n'
    with open(path("million.toml"), "w") as f:
        f.write(network + 'file = "ties.csv"\nnodes = "people.csv"\n')
    with open(path("million_graphml.toml"), "w") as f:
        f.write(network + 'file = "school.graphml"\n')


if __name__ == "__main__":
    main(sys.argv[1])
