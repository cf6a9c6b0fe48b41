#!/usr/bin/python3
"""Writes modularity_golden.json: networkx's modularity for a few partitions and
networkx's Louvain result for a few seeds, on small well-known graphs. The Go
tests in community_test.go check Modularity and Leiden against it.

Run with the interpreter that has networkx 2.8.8:

    /usr/bin/python3 graph/testdata/modularity_golden.py

Nodes are renumbered 0..n-1 in networkx's node order, so node i is the i-th
node the Go test adds.
"""
import json
import os
import random

import networkx as nx
from networkx.algorithms import community as nxc


def graphs():
    out = {}
    k = nx.karate_club_graph()
    out["karate"] = (nx.Graph(k.edges()), False)  # the unweighted classic
    out["lesmis"] = (nx.convert_node_labels_to_integers(nx.les_miserables_graph()), True)
    out["florentine"] = (nx.convert_node_labels_to_integers(nx.florentine_families_graph()), False)
    out["davis"] = (nx.convert_node_labels_to_integers(nx.davis_southern_women_graph()), False)
    # A sparse graph with isolated nodes and several components.
    out["sparse"] = (nx.gnm_random_graph(60, 70, seed=3), False)
    # A weighted directed graph: networkx uses the directed modularity formula.
    d = nx.gnm_random_graph(30, 80, seed=5, directed=True)
    rnd = random.Random(5)
    for u, v in d.edges():
        d[u][v]["weight"] = rnd.randint(1, 4)
    out["digraph"] = (d, True)
    return out


def encode(g, weighted):
    if weighted:
        edges = [[u, v, d["weight"]] for u, v, d in g.edges(data=True)]
    else:
        edges = [[u, v] for u, v in g.edges()]
    return {"n": g.number_of_nodes(), "directed": g.is_directed(), "weighted": weighted, "edges": edges}


def membership(n, comms):
    m = [0] * n
    for i, c in enumerate(comms):
        for v in c:
            m[v] = i
    return m


def main():
    gs = graphs()
    doc = {"networkx": nx.__version__, "graphs": {}, "modularity": [], "louvain": []}
    for name, (g, weighted) in gs.items():
        assert sorted(g.nodes()) == list(range(g.number_of_nodes()))
        doc["graphs"][name] = encode(g, weighted)
        n = g.number_of_nodes()
        w = "weight" if weighted else None
        rnd = random.Random(name)
        labels = [rnd.randrange(4) for _ in range(n)]
        parts = {
            "one": [set(range(n))],
            "singletons": [{v} for v in range(n)],
            "random4": [set(v for v in range(n) if labels[v] == i) for i in range(4)],
            "greedy": list(nxc.greedy_modularity_communities(g.to_undirected(), weight=w)),
        }
        for pname, comms in parts.items():
            comms = [c for c in comms if c]
            for res in (1.0, 0.5, 2.0):
                doc["modularity"].append({
                    "graph": name, "partition": pname, "resolution": res,
                    "membership": membership(n, comms),
                    "value": nxc.modularity(g, comms, weight=w, resolution=res),
                })
        if not g.is_directed():
            for seed in (1, 2, 3, 4, 5):
                comms = nxc.louvain_communities(g, weight=w, seed=seed)
                doc["louvain"].append({
                    "graph": name, "seed": seed,
                    "modularity": nxc.modularity(g, comms, weight=w),
                })
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "modularity_golden.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
