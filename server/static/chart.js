// The link chart (templates/chart.html), drawn with cytoscape.js.
//
// Everything the chart shows comes from the API with the session cookie
// and the page's CSRF token, so the access decision and the audit log are
// the server's. The server also places every node (graph.Layout): the
// browser only draws, with cytoscape's "preset" layout, and never runs a
// force layout, so a chart of 5,000 records stays responsive. Nothing here
// uses inline styles or eval: the CSP allows neither.
(function () {
  "use strict";

  const app = document.getElementById("chart-app");
  if (!app || typeof window.cytoscape !== "function") return;
  const D = app.dataset;
  const $ = (id) => document.getElementById(id);
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.content : "";

  // A chart of more than LARGE records and links is drawn more cheaply:
  // straight (haystack) edges without arrows, and links only where they can
  // be told apart — for the records in view once at most LOD_VIEW are, and
  // always for the selected records and the paths found. (Drawing every
  // link of a 5,000-record chart costs seconds per frame in a browser
  // without a GPU, and shows a hairball.)
  const LARGE = 1500;
  const LOD_VIEW = 1000;
  const BASE_SIZE = 24;
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939", "#843c39"];
  const OTHER = "#9aa5b1";
  const PLAIN = "#1d3557";

  // msg formats a catalogue message from a data-msg-* attribute: each %d
  // or %s takes the next argument.
  function msg(key) {
    const args = Array.prototype.slice.call(arguments, 1);
    const k = "msg" + key.charAt(0).toUpperCase() + key.slice(1);
    let i = 0;
    return (D[k] || key).replace(/%[ds]/g, () => String(args[i++]));
  }

  function setStatus(text) { $("chart-status").textContent = text; }

  let busy = 0;
  function working(on) {
    busy += on ? 1 : -1;
    D.busy = busy > 0 ? "1" : "0";
    updateButtons();
  }

  // api calls the JSON API as the signed-in user. The purpose goes in the
  // query (a header cannot carry Urdu) and is logged with every read.
  function api(method, path, body, raw) {
    const purpose = $("chart-purpose").value.trim();
    if (purpose) path += (path.indexOf("?") < 0 ? "?" : "&") + "purpose=" + encodeURIComponent(purpose);
    const headers = { "Accept": raw ? "*/*" : "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRF-Token"] = csrf;
    return fetch(path, { method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) }).then((res) => {
      if (res.status === 401) {
        location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
        throw new Error(res.statusText);
      }
      if (!res.ok) {
        return res.json().then((j) => { throw new Error(j && j.error ? j.error.message : res.statusText); },
          () => { throw new Error(res.status + " " + res.statusText); });
      }
      return raw ? res.blob() : res.json();
    });
  }

  function failed(err) { setStatus(msg("failed", err && err.message ? err.message : String(err))); }

  // run wraps one request: busy while it lasts, its error shown.
  function run(promise) {
    working(true);
    return promise.catch(failed).finally(() => working(false));
  }

  // ----- the chart -----

  const cyEl = $("cy");
  let large = false;

  // Shapes and colours come from each element's data, so that the style
  // sheet stays short: every selector costs time for every element added.
  const SHAPES = { Phone: "round-rectangle", BankAccount: "diamond", Company: "hexagon", Organization: "hexagon",
    LegalEntity: "hexagon", Vehicle: "triangle", Address: "triangle" };
  const LINK_COLOURS = { Call: "#5b7fb3", Payment: "#3d8f58" };

  function buildStyle() {
    const edge = { "width": "data(width)", "line-color": "data(color)", "curve-style": large ? "haystack" : "bezier" };
    if (large) edge["haystack-radius"] = 0;
    else Object.assign(edge, { "target-arrow-color": "data(color)", "target-arrow-shape": "data(arrow)", "arrow-scale": 0.7,
      "label": "data(countLabel)", "font-size": 9, "min-zoomed-font-size": 8, "color": "#4f5966",
      "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": "1px" });
    return [
      { selector: "node", style: { "label": "data(label)", "shape": "data(shape)", "width": "data(size)", "height": "data(size)",
        "background-color": "data(color)", "border-width": 1, "border-color": "#ffffff", "font-size": 10,
        "min-zoomed-font-size": 9, "text-valign": "bottom", "text-margin-y": 3, "color": "#1b1f24",
        "text-background-color": "#ffffff", "text-background-opacity": 0.7, "text-background-padding": "1px" } },
      { selector: "node.hub", style: { "border-width": 5, "border-style": "double", "border-color": "#a4161a" } },
      { selector: "node:selected", style: { "border-width": 4, "border-style": "solid", "border-color": "#f2a900", "overlay-opacity": 0 } },
      { selector: "edge", style: edge },
      { selector: "edge:selected", style: { "line-color": "#f2a900" } },
      { selector: "node.path", style: { "border-color": "#f2a900", "border-width": 4, "border-style": "solid" } },
      { selector: "edge.path", style: { "line-color": "#f2a900", "target-arrow-color": "#f2a900", "z-index": 10 } },
    ];
  }

  // rabtaChart.cy is the chart's cytoscape instance, for the tests and for
  // anyone at the console.
  const cy = window.cytoscape({
    container: cyEl, elements: [], layout: { name: "preset" }, style: buildStyle(),
    minZoom: 0.02, maxZoom: 4, textureOnViewport: true, hideEdgesOnViewport: true, motionBlur: false,
    pixelRatio: 1, boxSelectionEnabled: true, selectionType: "additive",
  });
  window.rabtaChart = { cy: cy };

  // restyle switches to the cheaper drawing when the chart holds (or is
  // about to hold) more than LARGE records and links; before the records
  // are added it costs nothing.
  function restyle(nodes) {
    const want = (nodes === undefined ? cy.nodes().length : nodes) + links.size > LARGE;
    if (want !== large) {
      large = want;
      cy.style(buildStyle());
    }
  }

  function label(n) {
    const c = n.caption || n.schema;
    return c.length > 40 ? c.slice(0, 39) + "…" : c;
  }

  function nodeElement(n) {
    const el = { group: "nodes", data: { id: n.id, label: label(n), caption: n.caption, schema: n.schema, agency: n.agency,
      shape: SHAPES[n.schema] || "ellipse", size: BASE_SIZE, color: PLAIN }, position: { x: n.x || 0, y: n.y || 0 } };
    if (n.hub) el.classes = "hub";
    return el;
  }

  // links are every link on the chart, by id (as edge data); cy holds the
  // ones drawn (see syncEdges). byNode: the links of each record.
  const links = new Map();
  const byNode = new Map();
  const pathLinks = new Set();

  function edgeData(e) {
    const d = { id: e.id, source: e.source, target: e.target, schema: e.schema, kind: e.label || e.schema,
      color: LINK_COLOURS[e.schema] || "#8a96a3", arrow: e.directed ? "triangle" : "none" };
    if (e.date) d.date = e.date;
    if (e.duration) d.duration = e.duration;
    if (e.amount) d.amount = e.amount;
    if (e.call_type) d.callType = e.call_type;
    return d;
  }

  function addLink(e) {
    if (links.has(e.id)) return;
    links.set(e.id, edgeData(e));
    [e.source, e.target].forEach((n) => {
      if (!byNode.has(n)) byNode.set(n, new Set());
      byNode.get(n).add(e.id);
    });
  }

  function dropNodeLinks(id) {
    (byNode.get(id) || new Set()).forEach((l) => {
      const d = links.get(l);
      links.delete(l);
      pathLinks.delete(l);
      if (d) [d.source, d.target].forEach((n) => { if (byNode.has(n)) byNode.get(n).delete(l); });
    });
    byNode.delete(id);
  }

  // addNetwork puts the nodes and links the chart does not hold yet on it
  // and returns how many records it added. A seed that was expanded is no
  // longer a hub.
  function addNetwork(net, seeds) {
    const first = cy.nodes().empty();
    const add = [];
    net.nodes.forEach((n) => { if (!cy.hasElementWithId(n.id)) add.push(nodeElement(n)); });
    net.edges.forEach(addLink);
    restyle(cy.nodes().length + add.length);
    cy.batch(() => {
      cy.add(add);
      (seeds || []).forEach((id) => cy.getElementById(id).removeClass("hub"));
    });
    refreshTypes();
    if (first) fit(); // before syncEdges: what is in view decides what is drawn
    syncEdges();
    drawTimeline();
    return add.length;
  }

  function positions() {
    return cy.nodes().map((n) => {
      const p = n.position();
      return { id: n.id(), x: Math.round(p.x * 10) / 10, y: Math.round(p.y * 10) / 10 };
    });
  }

  function nodeIDs() { return cy.nodes().map((n) => n.id()); }

  // fit shows the whole chart. cy.fit() would measure every label of every
  // node for its bounding box (seconds, at 5,000 nodes); the positions are
  // enough.
  function fit() {
    const nodes = cy.nodes();
    if (!nodes.length) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach((n) => {
      const p = n.position();
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y);
    });
    const pad = 40, w = cy.width(), h = cy.height();
    let zoom = Math.min((w - 2 * pad) / Math.max(x1 - x0, 1), (h - 2 * pad) / Math.max(y1 - y0, 1));
    zoom = Math.max(cy.minZoom(), Math.min(zoom, 1.5));
    cy.viewport({ zoom: zoom, pan: { x: w / 2 - zoom * (x0 + x1) / 2, y: h / 2 - zoom * (y0 + y1) / 2 } });
  }

  function summary() { setStatus(cy.nodes().length ? msg("ready", cy.nodes().length, links.size) : msg("empty")); }

  function maxDegree() {
    const v = parseInt($("chart-max-degree").value, 10);
    return v > 0 ? v : 50;
  }

  // ----- filters: link types and dates, applied to the links on the chart -----

  function typeBoxes() { return Array.prototype.slice.call($("chart-types").querySelectorAll("input[type=checkbox]")); }
  function linkTypes() { return new Set(typeBoxes().map((b) => b.value)); }

  // refreshTypes shows the box of every link type on the chart, with its count.
  function refreshTypes() {
    const counts = {};
    links.forEach((d) => { counts[d.schema] = (counts[d.schema] || 0) + 1; });
    typeBoxes().forEach((b) => {
      const lab = b.closest("label");
      lab.hidden = !counts[b.value];
      lab.querySelector(".count").textContent = counts[b.value] ? "(" + counts[b.value] + ")" : "";
    });
  }

  function hiddenTypes() { return typeBoxes().filter((b) => !b.checked).map((b) => b.value); }

  // shownBy returns the test of the filters: does a link (edge data) pass?
  function shownBy() {
    const hidden = new Set(hiddenTypes());
    const from = $("chart-from").value, to = $("chart-to").value;
    return (d) => {
      if (hidden.has(d.schema)) return false;
      if (!d.date) return true;
      const day = d.date.slice(0, 10);
      return !(from && day < from) && !(to && day > to);
    };
  }

  // nodesInView lists the records in view, or null when there are more
  // than limit.
  function nodesInView(limit) {
    const ext = cy.extent(), out = [];
    const nodes = cy.nodes();
    for (let i = 0; i < nodes.length; i++) {
      const p = nodes[i].position();
      if (p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2) {
        out.push(nodes[i].id());
        if (out.length > limit) return null;
      }
    }
    return out;
  }

  // groupKey names the drawn edge of a link: one per pair of records and
  // link type, however many calls or payments there are between them.
  function groupKey(d) {
    return "g:" + d.schema + ":" + (d.source < d.target ? d.source + ":" + d.target : d.target + ":" + d.source);
  }

  // syncEdges draws the links that pass the filters, one edge per pair of
  // records and link type: all of them on a small chart; on a large one,
  // those of the records in view (when few enough are), of the selected
  // records, and of the paths found.
  let drawAll = false; // for a picture of the whole chart
  function syncEdges() {
    const ok = shownBy(), want = new Set();
    let inView = null;
    if (!large || drawAll) {
      links.forEach((d, id) => { if (ok(d)) want.add(id); });
    } else {
      const of = (n) => (byNode.get(n) || new Set()).forEach((id) => { if (ok(links.get(id))) want.add(id); });
      inView = nodesInView(LOD_VIEW);
      if (inView) inView.forEach(of);
      selected().forEach((n) => of(n.id()));
      pathLinks.forEach((id) => { if (ok(links.get(id))) want.add(id); });
    }
    const groups = new Map();
    want.forEach((id) => {
      const d = links.get(id), k = groupKey(d);
      let g = groups.get(k);
      if (!g) {
        g = { id: k, source: d.source, target: d.target, schema: d.schema, kind: d.kind, color: d.color, arrow: d.arrow,
          count: 0, first: "", last: "", duration: 0, amount: 0, path: false };
        groups.set(k, g);
      } else if (g.source !== d.source) {
        g.arrow = "none"; // both ways
      }
      g.count++;
      if (d.date && (!g.first || d.date < g.first)) g.first = d.date;
      if (d.date && d.date > g.last) g.last = d.date;
      g.duration += d.duration || 0;
      g.amount += d.amount || 0;
      g.path = g.path || pathLinks.has(id);
    });
    const drop = cy.edges().filter((e) => !groups.has(e.id()));
    const add = [];
    cy.batch(() => {
      cy.remove(drop);
      groups.forEach((g, k) => {
        g.width = Math.min(1.5 + Math.log2(g.count), 8);
        g.countLabel = g.count > 1 ? "×" + g.count : "";
        const path = g.path;
        delete g.path;
        const e = cy.getElementById(k);
        if (e.empty()) {
          add.push({ group: "edges", data: g, classes: path ? "path" : "" });
          return;
        }
        if (e.data("count") !== g.count || e.data("arrow") !== g.arrow || e.data("first") !== g.first || e.data("last") !== g.last) e.data(g);
        if (path) e.addClass("path");
      });
      cy.add(add);
    });
    $("chart-lod").hidden = !large || drawAll || inView !== null;
    D.links = String(links.size);
    D.drawn = String(cy.edges().length);
  }

  function applyFilters() {
    syncEdges();
    drawTimeline();
  }

  // filterQuery is the filter as the network API takes it, so that paths,
  // measures and exports follow what the chart shows.
  function filterQuery(q) {
    // Link types not on the chart stay in: a path may run through them.
    const hidden = new Set(hiddenTypes());
    if (hidden.size) q.schemata = Array.from(linkTypes()).filter((s) => !hidden.has(s));
    if ($("chart-from").value) q.from = $("chart-from").value;
    if ($("chart-to").value) q.to = $("chart-to").value;
    return q;
  }

  // ----- selection, details, buttons -----

  function selected() { return cy.nodes(":selected"); }

  function updateButtons() {
    const n = selected().length;
    $("chart-expand").disabled = busy > 0 || n === 0;
    $("chart-path").disabled = busy > 0 || n !== 2;
    $("chart-remove").disabled = busy > 0 || n === 0;
    ["chart-save", "chart-png", "chart-graphml"].forEach((id) => { $(id).disabled = busy > 0 || cy.nodes().length === 0; });
  }

  function dl(pairs) {
    const l = document.createElement("dl");
    pairs.forEach((p) => {
      if (p[1] === undefined || p[1] === "") return;
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = p[0];
      if (p[1] instanceof Node) dd.appendChild(p[1]); else dd.textContent = String(p[1]);
      l.append(dt, dd);
    });
    return l;
  }

  function showInfo() {
    const info = $("chart-info");
    info.replaceChildren();
    const nodes = selected();
    const edges = cy.edges(":selected");
    $("chart-selected").textContent = nodes.length ? msg("selected", nodes.length) : "";
    if (nodes.length === 1) {
      const n = nodes[0];
      const a = document.createElement("a");
      a.href = "/records/" + encodeURIComponent(n.id());
      a.textContent = msg("open");
      const b = document.createElement("bdi");
      b.textContent = n.data("caption");
      info.append(dl([[msg("kind"), n.data("schema")], ["", b], [msg("agency"), n.data("agency")], ["", a]]));
      if (n.hasClass("hub")) {
        const p = document.createElement("p");
        p.className = "hub-note";
        p.textContent = msg("hub", maxDegree());
        info.append(p);
      }
    } else if (nodes.length === 0 && edges.length === 1) {
      const e = edges[0];
      const dates = e.data("first") && e.data("first") !== e.data("last") ? e.data("first").slice(0, 10) + " – " + e.data("last").slice(0, 10) : (e.data("first") || "");
      info.append(dl([[msg("kind"), e.data("kind") + (e.data("count") > 1 ? " ×" + e.data("count") : "")], [msg("date"), dates],
        [msg("duration"), e.data("duration") || ""], [msg("amount"), e.data("amount") || ""]]));
    }
  }

  let selTimer = 0;
  cy.on("select unselect", () => {
    clearTimeout(selTimer);
    selTimer = setTimeout(() => { updateButtons(); showInfo(); if (large) syncEdges(); drawTimeline(); }, 30);
  });
  let vpTimer = 0;
  cy.on("viewport", () => {
    if (!large) return;
    clearTimeout(vpTimer);
    vpTimer = setTimeout(syncEdges, 150);
  });
  cy.on("dbltap", "node", (ev) => { if (!busy) expand([ev.target.id()]); });

  // ----- expand, add, paths -----

  // room is how many more records the chart may take: a saved chart is
  // opened as one network request, which has a limit.
  function room() { return (parseInt(D.limit, 10) || 5000) - cy.nodes().length; }

  function expand(ids) {
    if (!ids.length) { setStatus(msg("select1")); return Promise.resolve(); }
    if (room() <= 0) { setStatus(msg("full", cy.nodes().length)); return Promise.resolve(); }
    setStatus(msg("loading"));
    return run(api("POST", "/api/v1/charts/network", { seeds: ids, hops: 1, max_degree: maxDegree(),
      max_nodes: ids.length + Math.min(500, room()), chart: positions() })
      .then((net) => {
        const added = addNetwork(net, ids);
        setStatus(msg("expanded", added) + (net.truncated ? " " + msg("truncated") : ""));
        D.expanded = String((parseInt(D.expanded || "0", 10) + 1));
        return reanalyse(true);
      }));
  }

  // addRecords puts records on the chart (hops 0), placed next to what
  // they link to on it.
  function addRecords(ids) {
    if (room() < ids.length) return Promise.reject(new Error(msg("full", cy.nodes().length)));
    return api("POST", "/api/v1/charts/network", { seeds: ids, hops: 0, max_nodes: Math.max(ids.length, 1), chart: positions() })
      .then((net) => addNetwork(net, []));
  }

  function findPath() {
    const nodes = selected();
    if (nodes.length !== 2) { setStatus(msg("select2")); return Promise.resolve(); }
    const hops = 4;
    cy.elements(".path").removeClass("path");
    pathLinks.clear();
    setStatus(msg("loading"));
    return run(api("POST", "/api/v1/network/paths", filterQuery({ source: nodes[0].id(), target: nodes[1].id(), hops: hops, max_degree: maxDegree() }))
      .then((res) => {
        if (!res.paths.length) { setStatus(msg("nopath", hops)); D.paths = "0"; return; }
        const missing = res.nodes.map((n) => n.id).filter((id) => cy.getElementById(id).empty());
        return (missing.length ? addRecords(missing) : Promise.resolve(0)).then(() => {
          const ok = shownBy();
          res.paths.forEach((p) => {
            for (let i = 0; i + 1 < p.length; i++) {
              (byNode.get(p[i]) || new Set()).forEach((id) => {
                const d = links.get(id);
                if ((d.source === p[i + 1] || d.target === p[i + 1]) && ok(d)) pathLinks.add(id);
              });
            }
          });
          syncEdges();
          cy.batch(() => res.paths.forEach((p) => p.forEach((id) => cy.getElementById(id).addClass("path"))));
          D.paths = String(res.paths.length);
          setStatus(msg("paths", res.paths.length, res.distance));
        });
      }));
  }

  function removeSelected() {
    const nodes = selected();
    nodes.forEach((n) => dropNodeLinks(n.id()));
    cy.batch(() => cy.remove(nodes));
    restyle();
    syncEdges();
    refreshTypes();
    updateButtons();
    showInfo();
    drawTimeline();
    summary();
    reanalyse(true);
  }

  // ----- communities and measures -----

  // reanalyse colours and sizes the records by the analysis chosen, over
  // the chart as it is now; quiet leaves the status line alone.
  let analysed = false;
  function reanalyse(quiet) {
    const measure = $("chart-measure").value, communities = $("chart-communities").checked;
    if ((!measure && !communities) || cy.nodes().length === 0) {
      if (analysed) cy.batch(() => cy.nodes().forEach((n) => n.data({ size: BASE_SIZE, color: PLAIN })));
      analysed = false;
      D.communities = "";
      return Promise.resolve();
    }
    analysed = true;
    const measures = [];
    if (measure) measures.push(measure);
    if (communities) measures.push("communities");
    const ids = nodeIDs();
    if (!quiet) setStatus(msg("loading"));
    return run(api("POST", "/api/v1/network/analysis", filterQuery({ seeds: ids, hops: 0, max_nodes: ids.length, measures: measures, top: 1 }))
      .then((res) => {
        const byID = new Map(res.nodes.map((n) => [n.id, n]));
        // Communities by size: the largest get the distinct colours.
        const sizes = new Map();
        res.nodes.forEach((n) => { if (n.community !== undefined) sizes.set(n.community, (sizes.get(n.community) || 0) + 1); });
        const rank = new Map(Array.from(sizes.keys()).sort((a, b) => sizes.get(b) - sizes.get(a) || a - b).map((c, i) => [c, i]));
        let lo = Infinity, hi = -Infinity;
        if (measure) res.nodes.forEach((n) => { const v = n.values[measure]; if (isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); } });
        cy.batch(() => cy.nodes().forEach((el) => {
          const n = byID.get(el.id());
          const d = { size: BASE_SIZE, color: PLAIN };
          if (n && communities && n.community !== undefined) {
            const r = rank.get(n.community);
            d.color = r < PALETTE.length && sizes.get(n.community) > 1 ? PALETTE[r] : OTHER;
            d.community = n.community;
          }
          if (n && measure) {
            const v = n.values[measure];
            d.size = isFinite(v) && hi > lo ? 14 + 46 * (v - lo) / (hi - lo) : BASE_SIZE;
            d.measure = v;
          }
          el.data(d);
        }));
        D.communities = communities ? String(sizes.size) : "";
        if (!quiet) setStatus(msg("analysed", res.nodes.length));
      }));
  }

  // ----- timeline of calls and payments -----

  const SVG = "http://www.w3.org/2000/svg";
  function svgEl(name, attrs, text) {
    const el = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach((k) => el.setAttribute(k, attrs[k]));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function dayNumber(s) { return Math.floor(Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000); }
  function dayString(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

  // timelineEdges: the visible calls and payments among the selected
  // records; those of the one selected record; all when none is selected.
  function timelineEdges() {
    const sel = new Set(selected().map((n) => n.id()));
    const ok = shownBy(), out = [];
    links.forEach((d) => {
      if ((d.schema !== "Call" && d.schema !== "Payment") || !ok(d) || !/^\d{4}-\d\d-\d\d/.test(d.date || "")) return;
      if (sel.size === 1 && !sel.has(d.source) && !sel.has(d.target)) return;
      if (sel.size > 1 && !(sel.has(d.source) && sel.has(d.target))) return;
      out.push(d);
    });
    return out;
  }

  let tlTimer = 0;
  function drawTimeline() {
    clearTimeout(tlTimer);
    tlTimer = setTimeout(drawTimelineNow, 60);
  }

  function drawTimelineNow() {
    const svg = $("chart-timeline"), note = $("chart-timeline-note");
    svg.replaceChildren();
    const edges = timelineEdges();
    const W = Math.max(320, Math.round(svg.getBoundingClientRect().width) || 640), H = 140;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    if (!edges.length) { note.textContent = msg("notimeline"); D.timeline = "0"; return; }
    let first = Infinity, last = -Infinity;
    const days = edges.map((e) => { const d = dayNumber(e.date); first = Math.min(first, d); last = Math.max(last, d); return d; });
    // A bar per day for up to four months, per week up to three years, per month beyond.
    const span = last - first + 1;
    const unit = span <= 120 ? 1 : span <= 3 * 366 ? 7 : 30;
    const start = unit === 7 ? first - ((new Date(first * 86400000).getUTCDay() + 6) % 7) : first; // weeks from Monday
    const n = Math.floor((last - start) / unit) + 1;
    const calls = new Array(n).fill(0), pays = new Array(n).fill(0);
    edges.forEach((e, i) => {
      const b = Math.floor((days[i] - start) / unit);
      if (e.schema === "Call") calls[b]++; else pays[b]++;
    });
    const top = Math.max.apply(null, calls.map((c, i) => c + pays[i]));
    const padX = 8, padTop = 8, axis = H - 22, bw = (W - 2 * padX) / n;
    svg.append(svgEl("line", { x1: padX, y1: axis + 0.5, x2: W - padX, y2: axis + 0.5, class: "tl-axis" }));
    for (let i = 0; i < n; i++) {
      if (!calls[i] && !pays[i]) continue;
      const x = padX + i * bw, w = Math.max(1, bw - (bw > 4 ? 1 : 0));
      const hc = (axis - padTop) * calls[i] / top, hp = (axis - padTop) * pays[i] / top;
      const g = svgEl("g", { class: "bar" });
      g.append(svgEl("title", {}, dayString(start + i * unit) + (unit > 1 ? " +" + unit + "d" : "") + ": " +
        calls[i] + " " + msg("calls") + ", " + pays[i] + " " + msg("payments")));
      if (calls[i]) g.append(svgEl("rect", { x: x.toFixed(1), y: (axis - hc).toFixed(1), width: w.toFixed(1), height: hc.toFixed(1), class: "tl-call" }));
      if (pays[i]) g.append(svgEl("rect", { x: x.toFixed(1), y: (axis - hc - hp).toFixed(1), width: w.toFixed(1), height: hp.toFixed(1), class: "tl-payment" }));
      svg.append(g);
    }
    svg.append(svgEl("text", { x: padX, y: H - 6, "text-anchor": "start", direction: "ltr" }, dayString(start)));
    svg.append(svgEl("text", { x: W - padX, y: H - 6, "text-anchor": "end", direction: "ltr" }, dayString(start + (n - 1) * unit)));
    svg.append(svgEl("text", { x: padX + 2, y: padTop + 8, "text-anchor": "start" }, String(top)));
    const nc = calls.reduce((a, b) => a + b, 0), np = pays.reduce((a, b) => a + b, 0);
    note.replaceChildren();
    const key = document.createElement("span");
    key.className = "tl-key";
    const kc = document.createElement("span"), kp = document.createElement("span");
    kc.className = "tl-call-key"; kc.textContent = nc + " " + msg("calls");
    kp.className = "tl-payment-key"; kp.textContent = np + " " + msg("payments");
    key.append(kc, kp);
    note.append(key);
    D.timeline = String(nc + np);
  }

  // ----- search and add -----

  $("chart-search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("chart-q").value.trim();
    if (!q) return;
    const list = $("chart-results");
    const links = linkTypes();
    run(api("GET", "/api/v1/search?limit=10&q=" + encodeURIComponent(q)).then((res) => {
      list.replaceChildren();
      const hits = (res.results || []).filter((h) => !links.has(h.schema));
      if (!hits.length) {
        const li = document.createElement("li");
        li.textContent = msg("noresults");
        list.append(li);
      }
      hits.forEach((h) => {
        const li = document.createElement("li");
        const name = document.createElement("bdi");
        if (h.access === "full") {
          name.textContent = (h.caption || h.schema) + " (" + h.schema + ", " + h.agency + ")";
          li.append(name);
          if (cy.getElementById(h.id).nonempty()) {
            const s = document.createElement("span");
            s.className = "note";
            s.textContent = msg("onchart");
            li.append(s);
          } else {
            const b = document.createElement("button");
            b.type = "button";
            b.textContent = msg("add");
            b.addEventListener("click", () => {
              b.disabled = true;
              run(addRecords([h.id]).then(() => {
                const n = cy.getElementById(h.id);
                cy.nodes(":selected").unselect();
                n.select();
                cy.animate({ center: { eles: n }, duration: 200 });
                summary();
                return reanalyse(true);
              }));
            });
            li.append(b);
          }
        } else {
          name.className = "pointer-hit";
          name.textContent = h.schema + " — " + msg("heldby", h.agency);
          li.append(name);
        }
        list.append(li);
      });
    }));
  });

  // ----- save and export -----

  function chartFilters() {
    const f = { hidden_schemata: hiddenTypes(), communities: $("chart-communities").checked };
    if ($("chart-from").value) f.from = $("chart-from").value;
    if ($("chart-to").value) f.to = $("chart-to").value;
    if ($("chart-measure").value) f.measure = $("chart-measure").value;
    return f;
  }

  function save() {
    const title = $("chart-title").value.trim();
    if (!title) { setStatus(msg("notitle")); $("chart-title").focus(); return Promise.resolve(); }
    const body = { title: title, nodes: positions(), filters: chartFilters() };
    if ($("chart-case").value) body.case = $("chart-case").value;
    return run(api("POST", "/api/v1/charts", body).then((res) => {
      D.chart = res.id;
      D.saved = res.id;
      history.replaceState(null, "", res.url);
      setStatus(msg("saved"));
    }));
  }

  let lastURL = "";
  function download(blob, name) {
    if (lastURL) URL.revokeObjectURL(lastURL);
    lastURL = URL.createObjectURL(blob);
    const a = $("chart-download");
    a.href = lastURL;
    a.download = name;
    a.click();
    D.lastExport = name + ":" + blob.size;
    window.rabtaChart.lastExport = blob;
    setStatus(msg("exported", name));
  }

  // The picture is drawn here, but the export is logged first: if the log
  // refuses, there is no picture. It shows every link that passes the
  // filters, even on a large chart.
  function exportPNG() {
    setStatus(msg("loading"));
    return run(api("POST", "/api/v1/charts/export", { format: "png", seeds: nodeIDs() })
      .then(() => {
        drawAll = true;
        syncEdges();
        return cy.png({ output: "blob-promise", full: true, bg: "#ffffff", maxWidth: 4096, maxHeight: 4096 });
      })
      .then((blob) => download(blob, "rabta-chart.png"))
      .finally(() => { if (drawAll) { drawAll = false; syncEdges(); } }));
  }

  function exportGraphML() {
    const ids = nodeIDs(), measure = $("chart-measure").value;
    setStatus(msg("loading"));
    return run(api("POST", "/api/v1/charts/export", filterQuery({ format: "graphml", seeds: ids, hops: 0, max_nodes: ids.length,
      measures: measure ? [measure] : ["degree"] }), true).then((blob) => download(blob, "rabta-chart.graphml")));
  }

  // ----- wiring -----

  $("chart-expand").addEventListener("click", () => expand(selected().map((n) => n.id())));
  $("chart-path").addEventListener("click", findPath);
  $("chart-remove").addEventListener("click", removeSelected);
  $("chart-fit").addEventListener("click", fit);
  $("chart-communities").addEventListener("change", () => reanalyse());
  $("chart-measure").addEventListener("change", () => reanalyse());
  $("chart-types").addEventListener("change", applyFilters);
  $("chart-from").addEventListener("change", applyFilters);
  $("chart-to").addEventListener("change", applyFilters);
  $("chart-save").addEventListener("click", save);
  $("chart-png").addEventListener("click", exportPNG);
  $("chart-graphml").addEventListener("click", exportGraphML);

  // ready marks the chart usable once it has been drawn: tests and the
  // page's own timing wait for data-state="ready" (or the event).
  // timing notes how long the load took, by stage (ms), for the tests
  // and for anyone looking at a slow chart: data-timing.
  const timing = {};
  let mark = performance.now();
  function lap(name) {
    const now = performance.now();
    timing[name] = Math.round(now - mark);
    mark = now;
    D.timing = Object.keys(timing).map((k) => k + "=" + timing[k]).join(" ");
  }

  function ready() {
    lap("add");
    fit();
    summary();
    updateButtons();
    drawTimeline();
    const done = () => {
      lap("draw");
      D.state = "ready";
      D.readyMs = String(Math.round(performance.now()));
      app.dispatchEvent(new CustomEvent("rabta:chart-ready", { bubbles: true }));
    };
    // Two frames: the first paints the chart, the second runs after it.
    requestAnimationFrame(() => requestAnimationFrame(done));
  }

  function applySavedFilters(f) {
    const hidden = new Set(f.hidden_schemata || []);
    typeBoxes().forEach((b) => { b.checked = !hidden.has(b.value); });
    $("chart-from").value = f.from || "";
    $("chart-to").value = f.to || "";
    $("chart-measure").value = f.measure || "";
    $("chart-communities").checked = !!f.communities;
  }

  function load() {
    setStatus(msg("loading"));
    lap("start");
    if (D.chart) {
      return api("GET", "/api/v1/charts/" + encodeURIComponent(D.chart)).then((res) => {
        lap("fetch");
        const c = res.chart;
        if (c.title) {
          $("chart-heading").textContent = c.title;
          $("chart-title").value = c.title;
          document.title = c.title + " · " + document.title.split(" · ").pop();
        } else {
          $("chart-subtitle").textContent = msg("shared", c.agency);
        }
        applySavedFilters(res.filters || {});
        addNetwork({ nodes: res.nodes, edges: res.edges }, []);
        ready();
        if ((res.filters || {}).measure || (res.filters || {}).communities) return reanalyse().then(summary);
      });
    }
    if (D.case && !D.seed) {
      // A case's records and the links among them that the reader sees.
      return api("POST", "/api/v1/charts/network", { case: D.case, hops: parseInt(D.hops, 10) || 0,
        max_nodes: parseInt(D.maxNodes, 10) || 500, max_degree: maxDegree(), chart: [] }).then((net) => {
        lap("fetch");
        addNetwork(net, []);
        ready();
      });
    }
    if (D.seed) {
      return api("POST", "/api/v1/charts/network", { seeds: [D.seed], hops: parseInt(D.hops, 10) || 0,
        max_nodes: parseInt(D.maxNodes, 10) || 500, max_degree: maxDegree(), chart: [] }).then((net) => {
        lap("fetch");
        addNetwork(net, []);
        cy.getElementById(D.seed).select();
        ready();
        if (net.truncated) setStatus(msg("ready", cy.nodes().length, links.size) + " " + msg("truncated"));
      });
    }
    ready();
    $("chart-q").focus();
    return Promise.resolve();
  }

  working(true);
  load().catch((err) => { failed(err); D.state = "failed"; }).finally(() => working(false));
})();
