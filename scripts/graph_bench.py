#!/usr/bin/python3
"""Peer side of scripts/graph-bench: graph generator, igraph / networkx / rabta
timers, and the Markdown table.

Subcommands (each measurement is one process, so the tools are interleaved
by the caller and none keeps a warm heap from the last run):

  gen      --nodes N --edges M --seed S --out FILE
           a deterministic degree-corrected stochastic block graph written as
           a whitespace edge list "u v" (nodes 0..N-1, every node linked)
  rabta    --bin RABTA --graph FILE --measure X [--threads T]
           runs `rabta graph metrics FILE --measures X --json`, reports
           timings_ms[X] (the algorithm only)
  igraph   --graph FILE --measure X [--method leiden|leiden-stable|multilevel]
  networkx --graph FILE --measure X [--seed S] [--budget SECONDS]
  table    RESULTS.jsonl [--machine TEXT]

Every timer prints one JSON line: tool, graph, measure, ms (wall time of the
algorithm alone, time.perf_counter), cpu_ms (process CPU time of the same
span, time.process_time; rabta: none), estimated, and for communities the
modularity and the number of communities; for betweenness and PageRank the
five largest values, so the table step can check the tools agree.

Use /usr/bin/python3 (Debian's python3-igraph 0.10 and python3-networkx 2.8).
"""

import argparse
import bisect
import json
import os
import statistics
import subprocess
import sys
import time

# ---------------------------------------------------------------- generator


def generate(n, m, seed, out):
    """Degree-corrected stochastic block model.

    Communities of random sizes (10..~n/25, at least 2 nodes); each node has a
    heavy-tailed weight (Pareto 2.5, capped at 100); an edge picks its first
    end by weight over the whole graph and its second by weight inside the
    first end's community with probability 1-MU, else over the whole graph.
    First every node is linked to a node of its community, so no node is
    isolated. Duplicates and self-loops are redrawn until there are exactly
    m edges. random.Random(seed) makes the file the same on every run and
    every Python 3 version.
    """
    import random

    MU = 0.25  # fraction of edges drawn without regard to communities
    rng = random.Random(seed)
    hi = max(20, n // 25)
    sizes = []
    left = n
    while left > 0:
        s = min(rng.randint(10, hi), left)
        if left - s == 1:  # never leave a single node behind
            s += 1
        sizes.append(s)
        left -= s
    comm = []
    for c, s in enumerate(sizes):
        comm.extend([c] * s)
    # shuffle node ids so communities are not contiguous ranges
    ids = list(range(n))
    rng.shuffle(ids)
    weight = [min(rng.paretovariate(2.5), 100.0) for _ in range(n)]
    members = [[] for _ in sizes]
    for i, v in enumerate(ids):
        members[comm[i]].append(v)
    node_comm = [0] * n
    for c, ms in enumerate(members):
        for v in ms:
            node_comm[v] = c

    def cumulative(nodes):
        acc, cum = 0.0, []
        for v in nodes:
            acc += weight[v]
            cum.append(acc)
        return cum

    all_nodes = list(range(n))
    all_cum = cumulative(all_nodes)
    comm_cum = [cumulative(ms) for ms in members]
    rand = rng.random

    def pick(nodes, cum):
        i = bisect.bisect_right(cum, rand() * cum[-1])
        return nodes[min(i, len(nodes) - 1)]

    edges = set()
    order = []

    def add(u, v):
        if u == v:
            return
        key = (u, v) if u < v else (v, u)
        if key not in edges:
            edges.add(key)
            order.append(key)

    for u in range(n):  # everyone gets a neighbour in their community
        c = node_comm[u]
        while True:
            v = pick(members[c], comm_cum[c])
            if v != u:
                break
        add(u, v)
    if len(order) > m:
        sys.exit(f"gen: {m} edges is fewer than the {len(order)} needed to link every node")
    while len(order) < m:
        u = pick(all_nodes, all_cum)
        if rand() < MU:
            v = pick(all_nodes, all_cum)
        else:
            c = node_comm[u]
            v = pick(members[c], comm_cum[c])
        add(u, v)
    with open(out, "w") as f:
        f.write(f"# graph-bench DC-SBM n={n} m={m} seed={seed} communities={len(sizes)} mu={MU}\n")
        f.write("".join(f"{u} {v}\n" for u, v in order))


# ---------------------------------------------------------------- loading


def read_edges(path):
    edges = []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            a, b = line.split()
            edges.append((int(a), int(b)))
    n = 1 + max(max(e) for e in edges)
    return n, edges


def top5(vals):
    return sorted(vals, reverse=True)[:5]


def emit(rec):
    print(json.dumps(rec), flush=True)


def timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000


# ---------------------------------------------------------------- rabta


def rabta_metrics(a, env, measure):
    """Runs rabta on one measure; returns its report and the process's CPU ms."""
    import resource

    cmd = [a.bin, "graph", "metrics", a.graph, "--measures", measure, "--json", "--top", "5"]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"rabta failed: {p.stderr}")
    cpu = (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime) * 1000
    return json.loads(p.stdout), cpu


def run_rabta(a):
    env = dict(os.environ)
    if a.threads:
        env["GOMAXPROCS"] = str(a.threads)
    # rabta reports only wall time. Its CPU time is estimated as the CPU time
    # of the whole process less that of a run that reads the same file and
    # computes only degrees (reading dominates such a run).
    _, base = rabta_metrics(a, env, "degree")
    rep, cpu = rabta_metrics(a, env, a.measure)
    rec = {"tool": "rabta" if not a.threads else f"rabta-{a.threads}t", "graph": a.label,
           "measure": a.measure, "ms": rep["timings_ms"][a.measure], "cpu_ms": max(0.0, cpu - base),
           "estimated": False, "nodes": rep["nodes"], "edges": rep["edges"]}
    if a.measure == "communities":
        rec["modularity"] = rep["modularity"]
        rec["communities"] = rep["communities"]
    else:
        rec["top"] = [x["value"] for x in rep["top"][a.measure]]
    emit(rec)


# ---------------------------------------------------------------- igraph


def run_igraph(a):
    import igraph as ig

    n, edges = read_edges(a.graph)
    g = ig.Graph(n=n, edges=edges, directed=False)
    del edges
    rec = {"tool": "igraph", "graph": a.label, "measure": a.measure, "estimated": False,
           "nodes": g.vcount(), "edges": g.ecount()}
    if a.measure == "betweenness":
        vals, ms, cpu = timed(lambda: g.betweenness(directed=False))
        scale = 2.0 / ((n - 1) * (n - 2))  # igraph counts each unordered pair once
        rec["top"] = [x * scale for x in top5(vals)]
    elif a.measure == "pagerank":
        vals, ms, cpu = timed(lambda: g.pagerank(damping=0.85))
        rec["top"] = top5(vals)
    elif a.measure == "communities":
        import random

        random.seed(a.seed)  # igraph draws from Python's RNG
        if a.method == "multilevel":
            rec["tool"] = "igraph-louvain"
            cl, ms, cpu = timed(lambda: g.community_multilevel())
        elif a.method == "leiden-stable":
            # igraph 0.10.2 stops n_iterations=-1 after the first iteration
            # that changes anything (igraph/igraph#2798, fixed upstream in
            # 2025), i.e. after one iteration. This runs one iteration at a
            # time from the last partition until one changes nothing, which
            # is what rabta's Leiden does (at most 64 iterations, as rabta).
            rec["tool"] = "igraph-leiden-stable"

            def stable():
                memb, its = None, 0
                while its < 64:
                    cl = g.community_leiden(objective_function="modularity", n_iterations=1,
                                            initial_membership=memb)
                    its += 1
                    if cl.membership == memb:
                        break
                    memb = cl.membership
                return cl, its

            (cl, rec["iterations"]), ms, cpu = timed(stable)
        else:
            cl, ms, cpu = timed(lambda: g.community_leiden(objective_function="modularity",
                                                           n_iterations=-1))
        rec["modularity"] = g.modularity(cl.membership)
        rec["communities"] = len(cl)
    else:
        sys.exit(f"unknown measure {a.measure}")
    rec["ms"], rec["cpu_ms"] = ms, cpu
    emit(rec)


# ---------------------------------------------------------------- networkx


def run_networkx(a):
    import networkx as nx

    n, edges = read_edges(a.graph)
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from(edges)
    del edges
    rec = {"tool": "networkx", "graph": a.label, "measure": a.measure, "estimated": False,
           "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    if a.measure == "betweenness":
        # A pilot on a few sources says whether the exact run fits the budget;
        # if not, time k sampled sources and extrapolate by n/k.
        k0 = min(n, 20)
        _, pilot, _ = timed(lambda: nx.betweenness_centrality(G, k=k0, seed=a.seed))
        full = pilot * n / k0
        if full <= a.budget * 1000:
            vals, ms, cpu = timed(lambda: nx.betweenness_centrality(G))
            rec["top"] = top5(vals.values())
        else:
            # sample enough sources to take about a tenth of the budget
            k = max(k0, min(n, int(k0 * a.budget * 100 / pilot)))
            vals, ms, cpu = timed(lambda: nx.betweenness_centrality(G, k=k, seed=a.seed))
            ms, cpu = ms * n / k, cpu * n / k
            rec["estimated"] = True
            rec["sampled_sources"] = k
            rec["top"] = top5(vals.values())  # already rescaled by n/k: an estimate
    elif a.measure == "pagerank":
        vals, ms, cpu = timed(lambda: nx.pagerank(G, alpha=0.85))
        rec["top"] = top5(vals.values())
    elif a.measure == "communities":
        comms, ms, cpu = timed(lambda: nx.community.louvain_communities(G, seed=a.seed))
        rec["modularity"] = nx.community.modularity(G, comms)
        rec["communities"] = len(comms)
    else:
        sys.exit(f"unknown measure {a.measure}")
    rec["ms"], rec["cpu_ms"] = ms, cpu
    emit(rec)


# ---------------------------------------------------------------- table


def fmt_ms(ms, est=False):
    if ms is None:
        return "—"
    if ms >= 10000:
        s = f"{ms / 1000:,.0f} s"
    elif ms >= 1000:
        s = f"{ms / 1000:.2f} s"
    elif ms >= 10:
        s = f"{ms:.0f} ms"
    else:
        s = f"{ms:.2f} ms"
    return f"~{s} (estimated)" if est else s


def cell(ms, count, est=False):
    return "—" if ms is None else f"{fmt_ms(ms, est)} [{count}]"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def make_table(a):
    recs = [json.loads(l) for l in open(a.results) if l.strip()]
    graphs, info = [], {}
    for r in recs:
        if r["graph"] not in graphs:
            graphs.append(r["graph"])
        info.setdefault(r["graph"], (r["nodes"], r["edges"]))
    groups = {}
    for r in recs:
        groups.setdefault((r["graph"], r["measure"], r["tool"]), []).append(r)

    def med(g, m, t):
        rs = groups.get((g, m, t))
        if not rs:
            return None, False, 0, None
        cpu = [r["cpu_ms"] for r in rs if r.get("cpu_ms") is not None]
        return (statistics.median(r["ms"] for r in rs), any(r["estimated"] for r in rs), len(rs),
                statistics.median(cpu) if cpu else None)

    out = []
    if a.machine:
        out += [a.machine, ""]
    out.append("Median wall time of the algorithm alone (graph already loaded); runs per cell in "
               "brackets. Ratios above 1 mean rabta is faster.")
    out.append("")
    out.append("| graph | measure | rabta | rabta, 1 thread | igraph | networkx | igraph / rabta | "
               "networkx / rabta | igraph / rabta 1 thread |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    names = {"betweenness": "betweenness (exact)", "pagerank": "PageRank 0.85",
             "communities": "communities (rabta Leiden · igraph Leiden · networkx Louvain)"}
    for g in graphs:
        n, m = info[g]
        gname = f"{g} ({n:,} nodes, {m:,} edges)"
        for meas in ("betweenness", "pagerank", "communities"):
            r, _, rn, _ = med(g, meas, "rabta")
            r1, _, r1n, _ = med(g, meas, "rabta-1t")
            i, _, inn, icpu = med(g, meas, "igraph")
            x, xest, xn, _ = med(g, meas, "networkx")
            if r is None and i is None and x is None:
                continue
            out.append(f"| {gname} | {names[meas]} | {cell(r, rn)} | {cell(r1, r1n)} | "
                       f"{cell(i, inn)} | {cell(x, xn, xest)} | {fmt_ratio(i, r)} | "
                       f"{fmt_ratio(x, r)}{' (est.)' if xest else ''} | {fmt_ratio(i, r1)} |")
            if meas == "communities":
                for tool, what in (("igraph-leiden-stable", "communities, igraph Leiden iterated until "
                                    "stable (as rabta) instead"),
                                   ("igraph-louvain", "communities, igraph Louvain (multilevel) instead")):
                    l, _, ln, _ = med(g, meas, tool)
                    if l is not None:
                        out.append(f"| {gname} | {what} | {cell(r, rn)} | {cell(r1, r1n)} | "
                                   f"{cell(l, ln)} | — | {fmt_ratio(l, r)} | — | {fmt_ratio(l, r1)} |")
    out.append("")
    out.append("Community quality (modularity, median over runs; number of communities in brackets):")
    out.append("")
    out.append("| graph | rabta Leiden | igraph Leiden (n_iterations=-1) | igraph Leiden until stable | "
               "igraph Louvain | networkx Louvain |")
    out.append("|---|---|---|---|---|---|")
    for g in graphs:
        cells = []
        for t in ("rabta", "igraph", "igraph-leiden-stable", "igraph-louvain", "networkx"):
            rs = groups.get((g, "communities", t))
            if not rs:
                cells.append("—")
                continue
            q = statistics.median(r["modularity"] for r in rs)
            k = statistics.median(r["communities"] for r in rs)
            its = [r["iterations"] for r in rs if "iterations" in r]
            cells.append(f"{q:.4f} ({k:.0f})" + (f", {statistics.median(its):.0f} iterations" if its else ""))
        if any(c != "—" for c in cells):
            out.append(f"| {g} | " + " | ".join(cells) + " |")
    # agreement: the largest values of each measure, rabta against igraph
    checks = []
    for g in graphs:
        for meas in ("betweenness", "pagerank"):
            rr, ii = groups.get((g, meas, "rabta")), groups.get((g, meas, "igraph"))
            if not rr or not ii:
                continue
            d = max(abs(p - q) / max(abs(q), 1e-300) for p, q in zip(rr[0]["top"], ii[0]["top"]))
            checks.append(f"{g} {meas}: largest 5 values differ from igraph's by at most {d:.1e} (relative)")
    if checks:
        out.append("")
        out.append("Agreement: " + "; ".join(checks) + ".")
    # CPU time: robust to the machine's load, which stretches wall time
    out.append("")
    out.append("Processor time of the same runs, median (rabta: the process's CPU time less that of a "
               "run that only reads the file and computes degrees; shown only where the measure takes "
               "over a second, since below that the difference is noise — rabta's PageRank and Leiden "
               "are single-threaded, so their 1-thread wall time is their CPU time):")
    out.append("")
    out.append("| graph | measure | rabta | rabta, 1 thread | igraph | igraph / rabta 1 thread | "
               "igraph CPU / wall |")
    out.append("|---|---|---|---|---|---|---|")
    for g in graphs:
        for meas in ("betweenness", "pagerank", "communities"):
            r, _, _, rc = med(g, meas, "rabta")
            r1, _, _, r1c = med(g, meas, "rabta-1t")
            i, _, _, ic = med(g, meas, "igraph")
            if ic is None and rc is None:
                continue
            if r1 is None or r1 < 1000:  # too short to tell from reading the file
                rc = r1c = None
            out.append(f"| {g} | {meas} | {fmt_ms(rc)} | {fmt_ms(r1c)} | {fmt_ms(ic)} | "
                       f"{fmt_ratio(ic, r1c)} | {ic / i:.2f} |")
    print("\n".join(out))


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("gen")
    s.add_argument("--nodes", type=int, required=True)
    s.add_argument("--edges", type=int, required=True)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--out", required=True)
    for name in ("rabta", "igraph", "networkx"):
        s = sub.add_parser(name)
        s.add_argument("--graph", required=True)
        s.add_argument("--label", default="graph")
        s.add_argument("--measure", required=True, choices=["betweenness", "pagerank", "communities"])
        s.add_argument("--seed", type=int, default=1)
        if name == "rabta":
            s.add_argument("--bin", required=True)
            s.add_argument("--threads", type=int, default=0)
        if name == "igraph":
            s.add_argument("--method", default="leiden", choices=["leiden", "leiden-stable", "multilevel"])
        if name == "networkx":
            s.add_argument("--budget", type=float, default=600,
                           help="seconds an exact betweenness run may take before it is sampled")
    s = sub.add_parser("table")
    s.add_argument("results")
    s.add_argument("--machine", default="")
    a = p.parse_args()
    if a.cmd == "gen":
        generate(a.nodes, a.edges, a.seed, a.out)
    elif a.cmd == "rabta":
        run_rabta(a)
    elif a.cmd == "igraph":
        run_igraph(a)
    elif a.cmd == "networkx":
        run_networkx(a)
    else:
        make_table(a)


if __name__ == "__main__":
    main()
