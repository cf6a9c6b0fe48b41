#!/usr/bin/python3
"""Writes structure_golden.json: networkx's connected components, articulation
points, bridges and all shortest paths on small graphs. The Go tests in
structure_test.go and paths_test.go check against it.

    /usr/bin/python3 graph/testdata/structure_golden.py

Nodes are renumbered 0..n-1 in networkx's node order, so node i is the i-th
node the Go test adds.
"""
import json
import os
import random

import networkx as nx


def graphs():
    out = {}
    out["karate"] = (nx.Graph(nx.karate_club_graph().edges()), False)
    out["lesmis"] = (nx.convert_node_labels_to_integers(nx.les_miserables_graph()), True)
    out["florentine"] = (nx.convert_node_labels_to_integers(nx.florentine_families_graph()), False)
    # Sparse: isolated nodes, trees hanging off cycles, many cut points.
    out["sparse"] = (nx.gnm_random_graph(60, 70, seed=3), False)
    # A grid has many equally short paths.
    out["grid"] = (nx.convert_node_labels_to_integers(nx.grid_2d_graph(5, 6)), False)
    d = nx.gnm_random_graph(40, 70, seed=7, directed=True)
    out["digraph"] = (d, False)
    wd = nx.gnm_random_graph(40, 110, seed=11, directed=True)
    rnd = random.Random(11)
    for u, v in wd.edges():
        wd[u][v]["weight"] = rnd.randint(1, 3)
    out["wdigraph"] = (wd, True)
    return out


def encode(g, weighted):
    if weighted:
        edges = [[u, v, d["weight"]] for u, v, d in g.edges(data=True)]
    else:
        edges = [[u, v] for u, v in g.edges()]
    return {"n": g.number_of_nodes(), "directed": g.is_directed(), "weighted": weighted, "edges": edges}


def main():
    doc = {"networkx": nx.__version__, "graphs": {}, "paths": []}
    for name, (g, weighted) in graphs().items():
        assert sorted(g.nodes()) == list(range(g.number_of_nodes()))
        e = encode(g, weighted)
        if g.is_directed():
            comps = nx.weakly_connected_components(g)
            u = g.to_undirected()
        else:
            comps = nx.connected_components(g)
            u = g
        e["components"] = sorted(sorted(c) for c in comps)
        e["articulation_points"] = sorted(nx.articulation_points(u))
        e["bridges"] = sorted(sorted(b) for b in nx.bridges(u))
        e["density"] = nx.density(g)
        doc["graphs"][name] = e
        rnd = random.Random(name)
        n = g.number_of_nodes()
        w = "weight" if weighted else None
        for _ in range(12):
            s, t = rnd.randrange(n), rnd.randrange(n)
            try:
                paths = sorted(nx.all_shortest_paths(g, s, t, weight=w))
                dist = nx.shortest_path_length(g, s, t, weight=w)
            except nx.NetworkXNoPath:
                paths, dist = [], None
            doc["paths"].append({"graph": name, "s": s, "t": t, "paths": paths, "dist": dist})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "structure_golden.json")
    with open(path, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
