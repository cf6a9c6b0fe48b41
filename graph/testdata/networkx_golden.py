#!/usr/bin/python3
"""Golden values for the centrality tests in package graph, from networkx.

Run with the system interpreter that has networkx 2.8.8:

    /usr/bin/python3 graph/testdata/networkx_golden.py [NETWORKS_DIR]

It writes, next to this script:

- golden_random.json: seeded random graphs (edge lists included) and every
  measure networkx computes on them;
- golden_networks.json: the same measures on published covert networks, keyed
  by node label. The network files are not ours to redistribute, so only the
  values and the recipe that built each graph are stored; the Go test rebuilds
  the graphs from ../../shared/data/networks (NETWORKS_DIR, default
  ../../../shared/data/networks relative to this script).

Output is deterministic: every random choice comes from a seeded generator.
"""

import csv
import json
import os
import random
import sys

# networkx iterates sets of node labels in places (clustering), so string
# hashing would change the order of floating-point sums from run to run.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "PYTHONHASHSEED": "0"})

import networkx as nx  # noqa: E402

assert nx.__version__ == "2.8.8", nx.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
TENTHS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]  # 0.1+0.2 != 0.3: exact ties matter


def power(fn, G, **kw):
    """Run a power iteration as tightly as networkx lets it converge, or None."""
    for tol in (1e-15, 1e-14):
        try:
            return fn(G, tol=tol, max_iter=20000, **kw)
        except nx.PowerIterationFailedConvergence:
            continue
    return None


def measures(G, weighted, alpha):
    """Every measure, as dicts keyed by node; weight=None on unweighted graphs."""
    w = "weight" if weighted else None
    eig = power(nx.eigenvector_centrality, G, weight=w)
    pr = power(nx.pagerank, G, alpha=alpha, weight=w)
    assert pr is not None
    return {
        "degree": nx.degree_centrality(G),
        "weighted_degree": dict(G.degree(weight=w)),
        "betweenness": nx.betweenness_centrality(G, normalized=True, weight=w),
        "betweenness_raw": nx.betweenness_centrality(G, normalized=False, weight=w),
        "closeness": nx.closeness_centrality(G, distance=w),
        "pagerank": pr,
        "eigenvector": eig,
        "core": nx.core_number(G),
        "clustering": nx.clustering(G, weight=w),
    }


def simple(H, directed, n=None):
    """Copy H onto nodes 0..n-1 in order, without self-loops or parallel edges."""
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(range(n if n is not None else H.number_of_nodes()))
    G.add_edges_from((u, v) for u, v in H.edges() if u != v)
    return G


def weigh(G, rng, kind):
    for u, v in G.edges():
        if kind == "int":
            G[u][v]["weight"] = rng.randint(1, 4)
        elif kind == "tenths":
            G[u][v]["weight"] = rng.choice(TENTHS)
        elif kind == "float":
            G[u][v]["weight"] = rng.uniform(0.05, 3.0)
    return G


def random_graphs():
    out = []

    def add(name, G, weights=None, seed=0, alpha=0.85):
        if weights:
            weigh(G, random.Random(seed), weights)
        out.append((name, G, weights is not None, alpha))

    add("er_undirected", simple(nx.gnp_random_graph(60, 0.07, seed=1), False))
    add("er_undirected_int", simple(nx.gnp_random_graph(90, 0.06, seed=2), False), "int", 2)
    add("er_undirected_tenths", simple(nx.gnp_random_graph(100, 0.05, seed=3), False), "tenths", 3, 0.9)
    add("ba_undirected", simple(nx.barabasi_albert_graph(300, 3, seed=4), False))
    add("ws_undirected_float", simple(nx.connected_watts_strogatz_graph(150, 6, 0.1, seed=5), False), "float", 5)

    # Disconnected: three components, two isolated nodes, shuffled ids.
    parts = nx.disjoint_union_all([nx.gnp_random_graph(40, 0.1, seed=6), nx.barabasi_albert_graph(30, 2, seed=6),
                                   nx.path_graph(5), nx.empty_graph(2)])
    perm = list(range(parts.number_of_nodes()))
    random.Random(6).shuffle(perm)
    add("disconnected_int", simple(nx.relabel_nodes(parts, dict(enumerate(perm))), False), "int", 6, 0.7)

    add("er_directed", simple(nx.gnp_random_graph(80, 0.05, seed=7, directed=True), True))
    add("er_directed_int", simple(nx.gnp_random_graph(120, 0.035, seed=8, directed=True), True), "int", 8)
    add("er_directed_tenths", simple(nx.gnp_random_graph(100, 0.04, seed=9, directed=True), True), "tenths", 9)
    add("scale_free_directed", simple(nx.DiGraph(nx.scale_free_graph(200, seed=10)), True))

    # Many reciprocal arcs with different weights (directed clustering's db term).
    rng = random.Random(11)
    R = nx.DiGraph()
    R.add_nodes_from(range(60))
    for u, v in nx.gnp_random_graph(60, 0.1, seed=11).edges():
        R.add_edge(u, v)
        if rng.random() < 0.5:
            R.add_edge(v, u)
    add("reciprocal_directed_float", R, "float", 11, 0.95)

    # A DAG: eigenvector power iteration does not converge (networkx raises).
    D = nx.DiGraph()
    D.add_nodes_from(range(40))
    D.add_edges_from((u, v) for u, v in nx.gnp_random_graph(40, 0.1, seed=12).edges() if u < v)
    add("dag_directed", D)

    add("star", simple(nx.star_graph(6), False))
    add("complete", simple(nx.complete_graph(6), False), "int", 13)
    add("pair", simple(nx.path_graph(2), False))
    add("single", simple(nx.empty_graph(1), False))
    add("isolated", simple(nx.empty_graph(4), False))
    add("cycle_directed", simple(nx.cycle_graph(7, create_using=nx.DiGraph), True), "int", 14)
    add("path_directed", simple(nx.path_graph(6, create_using=nx.DiGraph), True))
    return out


def vec(d, n):
    return None if d is None else [d[v] for v in range(n)]


def write_random(path):
    graphs = []
    for name, G, weighted, alpha in random_graphs():
        n = G.number_of_nodes()
        assert list(G.nodes()) == list(range(n))
        edges = [[u, v, d["weight"]] if weighted else [u, v] for u, v, d in G.edges(data=True)]
        m = measures(G, weighted, alpha)
        graphs.append({
            "name": name, "directed": G.is_directed(), "weighted": weighted, "n": n,
            "alpha": alpha, "edges": edges,
            **{k: vec(v, n) for k, v in m.items()},
        })
    dump(path, {"networkx": nx.__version__, "graphs": graphs})


def read_edgelist(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["source", "target"], rows[0]
    G = nx.Graph()
    for u, v in rows[1:]:
        if u != v:
            G.add_edge(u, v)
    return G


def read_matrix(path, mode):
    """mode: "binary" undirected, an edge where either cell is non-zero;
    "sum" undirected with weight a_ij + a_ji; "directed" an arc i→j of weight
    a_ij. The diagonal (self-loops) is dropped."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    labels = rows[0][1:]
    assert [r[0] for r in rows[1:]] == labels
    a = [[float(x) for x in r[1:]] for r in rows[1:]]
    G = nx.DiGraph() if mode == "directed" else nx.Graph()
    G.add_nodes_from(labels)
    n = len(labels)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            if mode == "directed":
                if a[i][j] != 0:
                    G.add_edge(labels[i], labels[j], weight=a[i][j])
            elif i < j and (a[i][j] != 0 or a[j][i] != 0):
                if mode == "sum":
                    G.add_edge(labels[i], labels[j], weight=a[i][j] + a[j][i])
                else:
                    G.add_edge(labels[i], labels[j])
    return G


NETWORKS = [
    # name, file, format, mode (matrix only), weighted
    ("krebs62", "krebs_911/krebs62_lcc_clean_edgelist.csv", "edgelist", "binary", False),
    ("caviar", "ucinet_covert_mcmacdonald/morselli_caviar.csv", "matrix", "binary", False),
    ("caviar_calls", "ucinet_covert_mcmacdonald/morselli_caviar.csv", "matrix", "sum", True),
    ("caviar_directed_calls", "ucinet_covert_mcmacdonald/morselli_caviar.csv", "matrix", "directed", True),
    ("siren", "ucinet_covert_mcmacdonald/morselli_siren.csv", "matrix", "binary", False),
    ("togo", "ucinet_covert_mcmacdonald/morselli_togo.csv", "matrix", "binary", False),
    ("oversize", "ucinet_covert_mcmacdonald/berlusconietal_oversize.csv", "matrix", "binary", False),
]

RECIPES = {
    "binary": "undirected, unweighted: an edge wherever a_ij or a_ji is non-zero; diagonal dropped",
    "sum": "undirected, weighted: weight a_ij + a_ji (calls in both directions); diagonal dropped",
    "directed": "directed, weighted: arc i->j of weight a_ij wherever non-zero; diagonal dropped",
}


def write_networks(path, root):
    nets = []
    for name, file, fmt, mode, weighted in NETWORKS:
        p = os.path.join(root, file)
        G = read_edgelist(p) if fmt == "edgelist" else read_matrix(p, mode)
        recipe = ("undirected, unweighted: one edge per distinct pair (header source,target); self-loops dropped"
                  if fmt == "edgelist" else RECIPES[mode])
        m = measures(G, weighted, 0.85)
        nets.append({
            "name": name, "file": file, "format": fmt, "mode": mode, "recipe": recipe,
            "directed": G.is_directed(), "weighted": weighted, "alpha": 0.85,
            "n": G.number_of_nodes(), "m": G.number_of_edges(),
            **{k: (None if v is None else {str(u): x for u, x in v.items()}) for k, v in m.items()},
        })
    dump(path, {"networkx": nx.__version__, "networks": nets})


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    print(path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data", "networks")
    write_random(os.path.join(HERE, "golden_random.json"))
    if os.path.isdir(root):
        write_networks(os.path.join(HERE, "golden_networks.json"), root)
    else:
        print("networks not found under", root, "- golden_networks.json not written")
