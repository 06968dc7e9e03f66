// Interactive view of the corpus reference graph. No libraries, no network:
// the data sits in <script id="graph-data" type="application/json">.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes, edges = data.edges;
  var byId = {};
  nodes.forEach(function (n, i) { n.index = i; byId[n.id] = n; });
  edges = edges.filter(function (e) { return byId[e.source] && byId[e.target]; });

  // ------------------------------------------------------------ colours
  var PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2",
                 "#ca8a04", "#db2777", "#4f46e5", "#65a30d", "#0d9488", "#7c3aed"];
  var kindCount = {};
  nodes.forEach(function (n) { var k = n.kind || "—"; kindCount[k] = (kindCount[k] || 0) + 1; });
  var kinds = Object.keys(kindCount).sort(function (a, b) { return kindCount[b] - kindCount[a] || (a < b ? -1 : 1); });
  var kindColour = {};
  kinds.forEach(function (k, i) { kindColour[k] = k === "—" ? "#7b8794" : PALETTE[i % PALETTE.length]; });
  function colour(n) { return kindColour[n.kind || "—"]; }
  // Radius on the screen stays readable when zoomed out: sizes grow as 1/sqrt(zoom).
  var grow = 1;
  function radius(n) { return (6 + 3 * Math.sqrt(n.in_degree || 0) + (n.in_corpus ? 3 : 0)) * grow; }

  // ------------------------------------------------------------ layout
  // Deterministic force-directed layout (Fruchterman–Reingold with gravity),
  // computed once on load: same data, same picture.
  function layout() {
    var n = nodes.length;
    if (!n) return;
    var seed = 1234567;
    function rand() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }
    var area = Math.max(400, Math.sqrt(n) * 110);
    nodes.forEach(function (p, i) {
      var a = 2 * Math.PI * i / n, r = area * 0.4 * (0.5 + 0.5 * rand());
      p.x = r * Math.cos(a); p.y = r * Math.sin(a);
    });
    var k = area / Math.sqrt(n) * 0.9;
    var iterations = Math.max(60, Math.min(400, Math.floor(4e7 / (n * n + 1))));
    var temp = area / 8;
    var gravity = 3.2 * n * k * k / (area * area);
    var dx = new Float64Array(n), dy = new Float64Array(n);
    for (var it = 0; it < iterations; it++) {
      dx.fill(0); dy.fill(0);
      for (var i = 0; i < n; i++) {
        var a = nodes[i];
        for (var j = i + 1; j < n; j++) {
          var b = nodes[j];
          var ex = a.x - b.x, ey = a.y - b.y;
          var d2 = ex * ex + ey * ey + 0.01;
          var f = k * k / d2;
          dx[i] += ex * f; dy[i] += ey * f; dx[j] -= ex * f; dy[j] -= ey * f;
        }
      }
      edges.forEach(function (e) {
        var a = byId[e.source], b = byId[e.target];
        var ex = a.x - b.x, ey = a.y - b.y;
        var d = Math.sqrt(ex * ex + ey * ey) + 0.01;
        var f = d / k;
        dx[a.index] -= ex * f; dy[a.index] -= ey * f;
        dx[b.index] += ex * f; dy[b.index] += ey * f;
      });
      for (i = 0; i < n; i++) {
        var p = nodes[i];
        // gravity balances the repulsion of all other nodes (≈ n·k²/R at radius R),
        // so disconnected components stay on the page instead of drifting away
        dx[i] -= p.x * gravity; dy[i] -= p.y * gravity;
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 1e-9;
        var step = Math.min(len, temp);
        p.x += dx[i] / len * step; p.y += dy[i] / len * step;
      }
      temp = Math.max(temp * 0.97, 1.5);
    }
  }

  // ------------------------------------------------------------ drawing
  var svg = document.getElementById("graph");
  var viewport = el("g", { id: "viewport" });
  svg.appendChild(viewport);
  var defs = el("defs");
  defs.appendChild(marker("arrow", "#9aa5b1"));
  defs.appendChild(marker("arrow-hl", "#d97706"));
  svg.insertBefore(defs, viewport);
  var edgeLayer = el("g", { "class": "edges" });
  var nodeLayer = el("g", { "class": "nodes" });
  viewport.appendChild(edgeLayer);
  viewport.appendChild(nodeLayer);

  function el(name, attrs) {
    var e = document.createElementNS(SVG_NS, name);
    for (var a in (attrs || {})) e.setAttribute(a, attrs[a]);
    return e;
  }
  function marker(id, fill) {
    // fixed size in drawing units, whatever the edge's width
    var m = el("marker", { id: id, viewBox: "0 0 10 10", refX: "10", refY: "5", markerUnits: "userSpaceOnUse", markerWidth: "9", markerHeight: "9", orient: "auto-start-reverse" });
    m.appendChild(el("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: fill }));
    return m;
  }

  // Big graphs label only their most central documents (the rest on hover).
  var showAllLabels = nodes.length <= 120;
  var keyNodes = {};
  nodes.slice().sort(function (a, b) { return (b.pagerank || 0) - (a.pagerank || 0) || (b.in_degree || 0) - (a.in_degree || 0); })
    .slice(0, 40).forEach(function (n) { keyNodes[n.id] = true; });
  function labelled(n) { return showAllLabels || keyNodes[n.id]; }

  function draw() {
    edges.forEach(function (e) {
      var cls = "edge" + (e.chain ? " chain" : "") + (e.derived ? " derived" : "");
      e.elem = el("line", { "class": cls, "stroke-width": String(1 + Math.min(4, Math.log2(1 + (e.mentions || 1)))), "marker-end": "url(#arrow)" });
      var t = el("title");
      t.textContent = byId[e.source].label + " → " + byId[e.target].label + " (" + (e.mentions || 0) + ")";
      e.elem.appendChild(t);
      edgeLayer.appendChild(e.elem);
    });
    nodes.forEach(function (n) {
      var g = el("g", { "class": "node " + (n.in_corpus ? "corpus" : "external") + (labelled(n) ? "" : " nolabel"), "data-id": n.id });
      var c = el("circle", { r: String(radius(n)), fill: colour(n), stroke: n.in_corpus ? "#1f2933" : colour(n) });
      var text = el("text", { x: String(radius(n) + 3), y: "0.35em" });
      text.textContent = n.label.length > 42 ? n.label.slice(0, 40) + "…" : n.label;
      var title = el("title");
      title.textContent = n.label + (n.title ? " — " + n.title : "");
      g.appendChild(c); g.appendChild(text); g.appendChild(title);
      g.addEventListener("click", function (ev) { ev.stopPropagation(); select(n.id); });
      g.addEventListener("mousedown", function (ev) { startDrag(ev, n); });
      n.elem = g;
      nodeLayer.appendChild(g);
    });
    position();
  }

  function position() {
    edges.forEach(function (e) {
      var a = byId[e.source], b = byId[e.target];
      var ex = b.x - a.x, ey = b.y - a.y, d = Math.sqrt(ex * ex + ey * ey) || 1;
      var ra = radius(a), rb = radius(b) + 2;
      e.elem.setAttribute("x1", a.x + ex / d * ra); e.elem.setAttribute("y1", a.y + ey / d * ra);
      e.elem.setAttribute("x2", b.x - ex / d * rb); e.elem.setAttribute("y2", b.y - ey / d * rb);
    });
    nodes.forEach(function (n) { n.elem.setAttribute("transform", "translate(" + n.x.toFixed(1) + "," + n.y.toFixed(1) + ")"); });
  }

  // ------------------------------------------------------------ pan, zoom, drag
  var view = { x: 0, y: 0, k: 1 };
  function applyView() {
    viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
    // labels keep their size on the screen; nodes shrink less than the drawing
    nodeLayer.style.fontSize = (11 / view.k).toFixed(2) + "px";
    var g2 = Math.min(3, Math.max(1, 1 / Math.sqrt(view.k)));
    if (Math.abs(g2 - grow) > 0.01) {
      grow = g2;
      nodes.forEach(function (n) {
        if (!n.elem) return;
        n.elem.firstChild.setAttribute("r", String(radius(n)));
        n.elem.childNodes[1].setAttribute("x", String(radius(n) + 3 / view.k));
      });
      if (nodes.length && nodes[0].elem) position();
    }
  }
  function fit() {
    var w = svg.clientWidth || 800, h = svg.clientHeight || 600;
    if (!nodes.length) { view = { x: w / 2, y: h / 2, k: 1 }; applyView(); return; }
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    nodes.forEach(function (n) { minX = Math.min(minX, n.x); maxX = Math.max(maxX, n.x); minY = Math.min(minY, n.y); maxY = Math.max(maxY, n.y); });
    // margins in screen pixels: labels run ~200 px to the right of a node
    var k = Math.min((w - 260) / (maxX - minX + 1), (h - 70) / (maxY - minY + 1), 2.5);
    k = Math.max(k, 0.05);
    view = { k: k, x: 30 + (w - 260) / 2 - k * (minX + maxX) / 2, y: h / 2 - k * (minY + maxY) / 2 };
    applyView();
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var f = ev.deltaY < 0 ? 1.15 : 1 / 1.15;
    var r = svg.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top;
    view.x = mx - (mx - view.x) * f; view.y = my - (my - view.y) * f; view.k *= f;
    applyView();
  }, { passive: false });
  var drag = null;
  function startDrag(ev, n) { drag = { node: n, x: ev.clientX, y: ev.clientY, moved: false }; ev.stopPropagation(); }
  svg.addEventListener("mousedown", function (ev) { drag = { node: null, x: ev.clientX, y: ev.clientY, moved: false }; svg.classList.add("panning"); });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var ddx = ev.clientX - drag.x, ddy = ev.clientY - drag.y;
    if (Math.abs(ddx) + Math.abs(ddy) > 2) drag.moved = true;
    drag.x = ev.clientX; drag.y = ev.clientY;
    if (drag.node) { drag.node.x += ddx / view.k; drag.node.y += ddy / view.k; position(); }
    else { view.x += ddx; view.y += ddy; applyView(); }
  });
  window.addEventListener("mouseup", function () { svg.classList.remove("panning"); setTimeout(function () { drag = null; }, 0); });
  svg.addEventListener("click", function () { if (!drag || !drag.moved) select(null); });

  // ------------------------------------------------------------ details panel
  var panel = document.getElementById("details");
  function add(parent, tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    parent.appendChild(e);
    return e;
  }
  function link(parent, id) {
    var a = add(parent, "a", byId[id] ? byId[id].label : id);
    a.addEventListener("click", function () { select(id); });
    return a;
  }
  // The citing sentence with the mention marked (spans are offsets into the
  // document text; the sentence's own span locates the mention inside it).
  function sentence(parent, m) {
    var div = add(parent, "div", null, "sentence");
    var s = m.sentence || m.text || "";
    var a = -1, b = -1;
    if (m.span && m.sentence_span && m.sentence) { a = m.span[0] - m.sentence_span[0]; b = m.span[1] - m.sentence_span[0]; }
    if (a >= 0 && b > a && b <= s.length) {
      add(div, "span", s.slice(0, a)); add(div, "mark", s.slice(a, b)); add(div, "span", s.slice(b));
    } else div.textContent = s;
  }

  function select(id) {
    nodes.forEach(function (n) { n.elem.classList.remove("selected"); n.elem.classList.remove("dim"); });
    edges.forEach(function (e) { e.elem.classList.remove("hl"); e.elem.classList.remove("dim"); e.elem.setAttribute("marker-end", "url(#arrow)"); });
    panel.textContent = "";
    if (!id || !byId[id]) { add(panel, "p", "Click a node to see the document, its sources and the sentences that cite it.", "empty"); return; }
    var n = byId[id];
    n.elem.classList.add("selected");
    var near = {}; near[id] = true;
    edges.forEach(function (e) {
      if (e.source === id || e.target === id) {
        e.elem.classList.add("hl"); e.elem.setAttribute("marker-end", "url(#arrow-hl)");
        near[e.source] = near[e.target] = true;
      } else e.elem.classList.add("dim");
    });
    nodes.forEach(function (m) { if (!near[m.id]) m.elem.classList.add("dim"); });

    var h = add(panel, "h2", n.number || n.label);
    add(h, "span", n.in_corpus ? "in corpus" : "cited only", "badge" + (n.in_corpus ? " corpus" : ""));
    var dl = add(panel, "dl");
    function row(k, v) { if (v === null || v === undefined || v === "" || (v.length === 0)) return; add(dl, "dt", k); add(dl, "dd", v); }
    row("Kind", n.kind); row("Number", n.number || (n.in_corpus ? "(not stated)" : null));
    row("Issuer", n.issuer); row("Date", n.date); row("Title", n.title);
    if (n.match_method) row("Matched by", n.match_method + (n.match_confidence !== null && n.match_confidence !== undefined ? " (" + n.match_confidence + ")" : ""));
    row("Cited by", (n.in_degree || 0) + " documents, " + (n.cited_mentions || 0) + " mentions");
    row("Cites", (n.out_degree || 0) + " documents");
    row("PageRank", n.pagerank);
    if (n.implementation_chain && n.implementation_chain.length) {
      add(dl, "dt", "Implements");
      var dd = add(dl, "dd");
      n.implementation_chain.forEach(function (c, i) { if (i) add(dd, "span", " → "); link(dd, c); });
    }
    if (n.sources && n.sources.length) {
      add(panel, "h3", "Sources (" + n.sources.length + ")");
      var ul = add(panel, "ul", null, "sources");
      n.sources.forEach(function (s) { add(ul, "li", s); });
    }
    var incoming = edges.filter(function (e) { return e.target === id; });
    add(panel, "h3", "Citing sentences (" + incoming.reduce(function (s, e) { return s + (e.mention_list || []).length; }, 0) + ")");
    var ul2 = add(panel, "ul", null, "citing");
    incoming.forEach(function (e) {
      (e.mention_list || []).forEach(function (m) {
        var li = add(ul2, "li", null, "citing-sentence");
        var meta = add(li, "div", null, "meta");
        link(meta, e.source);
        add(meta, "span", (m.section ? " · § " + m.section : "") + (m.relation ? " · " + m.relation : "") +
          (e.derived ? " · stated by " + (e.stated_by || []).join(", ") : "") + (m.date_inferred ? " · date inferred" : ""));
        sentence(li, m);
      });
    });
    if (!incoming.length) add(ul2, "li", "No document of the corpus cites it.", "meta");
    var outgoing = edges.filter(function (e) { return e.source === id; });
    if (outgoing.length) {
      add(panel, "h3", "Cites (" + outgoing.length + ")");
      var ul3 = add(panel, "ul");
      outgoing.sort(function (a, b) { return (b.mentions || 0) - (a.mentions || 0); }).forEach(function (e) {
        var li = add(ul3, "li"); link(li, e.target);
        add(li, "span", " ×" + (e.mentions || 0) + ((e.relations || []).length ? " · " + e.relations.join(", ") : ""), "meta");
      });
    }
  }

  // ------------------------------------------------------------ legend, search, labels
  function legend() {
    var details = document.getElementById("legend");
    var box = add(details, "div", null, "body");
    [["in the corpus", true], ["cited only", false]].forEach(function (p) {
      var r = add(box, "div", null, "row");
      var s = el("svg", { width: "14", height: "14" });
      s.appendChild(el("circle", { cx: "7", cy: "7", r: "5", fill: p[1] ? "#7b8794" : "#fff", stroke: p[1] ? "#1f2933" : "#7b8794", "stroke-width": "2" }));
      r.appendChild(s); add(r, "span", p[0]);
    });
    var r2 = add(box, "div", null, "row");
    var s2 = el("svg", { width: "24", height: "10" });
    s2.appendChild(el("line", { x1: "0", y1: "5", x2: "24", y2: "5", stroke: "#486581", "stroke-width": "2", "stroke-dasharray": "5 4" }));
    r2.appendChild(s2); add(r2, "span", "stated by a citing document");
    add(box, "div", null, "sep");
    kinds.forEach(function (k) {
      var r = add(box, "div", null, "row");
      var s = el("svg", { width: "14", height: "14" });
      s.appendChild(el("circle", { cx: "7", cy: "7", r: "6", fill: kindColour[k] }));
      r.appendChild(s); add(r, "span", k + " (" + kindCount[k] + ")");
    });
  }
  document.getElementById("search").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    nodes.forEach(function (n) {
      var hay = [n.label, n.number, n.title, n.issuer, n.kind].join(" ").toLowerCase();
      n.elem.classList.toggle("match", !!q && hay.indexOf(q) >= 0);
    });
  });
  var labelBox = document.getElementById("all-labels");
  labelBox.checked = showAllLabels;
  labelBox.addEventListener("change", function () {
    showAllLabels = labelBox.checked;
    nodes.forEach(function (n) { n.elem.classList.toggle("nolabel", !labelled(n)); });
  });

  layout();
  draw();
  legend();
  fit();
  select(null);
  window.addEventListener("resize", fit);
  document.body.setAttribute("data-ready", "1");
})();
