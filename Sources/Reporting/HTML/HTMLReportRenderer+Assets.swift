extension HTMLReportRenderer {
    /// The page's styles (inline: the page fetches nothing).
    static let style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1400px;padding:0 16px;color:#1d2330}
        h1{margin:0}h2{margin:28px 0 8px;font-size:18px}.sub,.hint{color:#5a6272;margin:4px 0}
        #controls{position:sticky;top:0;background:#fff;padding:10px 0;border-bottom:1px solid #dde;z-index:2}
        #slider{width:100%}#now{font-weight:600;margin-left:8px}
        #graph{max-width:100%;height:auto}.layer{font-size:12px;fill:#5a6272;font-weight:600}
        .edge{stroke:#c3c8d2;stroke-width:1}.node rect{fill:#aab;stroke:#1d2330;stroke-width:.6;cursor:pointer}
        .node text{font-size:11px;pointer-events:none}.node.ok rect{fill:#7bc67e}.node.degraded rect{fill:#f2c14e}
        .node.failing rect{fill:#e4572e}.node.neutral rect{fill:#d5d8de}.node.selected rect{stroke-width:2.5}
        .chart{display:flex;align-items:center;gap:10px;font-size:12px}.chart span{width:260px;text-align:right}
        .chart polyline{fill:none;stroke:#2a6fdb;stroke-width:1.5}.frame{fill:#f6f7f9;stroke:#dde}
        .cursor{stroke:#e4572e;stroke-width:1.5}
        table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #dde;padding:3px 8px;text-align:left}
        td.pass{color:#1f7a33;font-weight:600}td.fail{color:#b3261e;font-weight:600}td.differs{background:#fff3c4;font-weight:600}
        #timeline{font-size:13px;padding-left:0;list-style:none;max-height:480px;overflow:auto;border:1px solid #dde}
        #timeline li{padding:1px 8px}#timeline li.future{color:#aab}#timeline li.current{background:#fff3c4}
        #timeline time{font-variant-numeric:tabular-nums;color:#5a6272}
        #chain{font-size:13px}#chain li{margin:2px 0}#chain .injected{color:#b3261e;font-weight:600}
        #selftest:empty{display:none}
        """

    /// The page's script: the slider colours the graph and moves the chart cursors; a click shows a causal chain.
    static let script = """
        "use strict";
        const data = JSON.parse(document.getElementById("data").textContent);
        const slider = document.getElementById("slider");
        const nodes = Array.from(document.querySelectorAll("#graph .node"));
        const items = Array.from(document.querySelectorAll("#timeline li"));
        let selected = null;
        function healthAt(node, t) {
          let value = null;
          for (let i = 0; i < node.t.length && node.t[i] <= t; i++) value = node.h[i];
          return value;
        }
        function stateOf(value) {
          if (value === null) return "neutral";
          return value >= 0.99 ? "ok" : value >= 0.5 ? "degraded" : "failing";
        }
        function update() {
          const t = Number(slider.value);
          document.getElementById("now").textContent = data.labels[Math.min(data.labels.length - 1, Math.floor(t / 60))];
          for (const g of nodes) {
            const node = data.nodes[Number(g.dataset.node)];
            g.setAttribute("class", "node " + stateOf(healthAt(node, t)) + (selected === g ? " selected" : ""));
          }
          const x = String(t / data.duration * 600);
          for (const line of document.querySelectorAll(".cursor")) { line.setAttribute("x1", x); line.setAttribute("x2", x); }
          let last = null;
          for (const li of items) {
            const future = Number(li.dataset.t) > t;
            li.classList.toggle("future", future);
            li.classList.remove("current");
            if (!future) last = li;
          }
          if (last) last.classList.add("current");
          if (selected) showChain(selected);
        }
        function showChain(g) {
          const id = data.nodes[Number(g.dataset.node)].id;
          const t = Number(slider.value);
          const list = document.getElementById("chain");
          list.textContent = "";
          document.getElementById("chain-title").textContent = id + " at " + document.getElementById("now").textContent;
          let start = -1;
          data.entries.forEach((e, i) => { if (e.c === id && e.t <= t) start = i; });
          if (start < 0) { const li = document.createElement("li"); li.textContent = "no state change by then"; list.appendChild(li); return; }
          const seen = new Set();
          const walk = (index, depth) => {
            const li = document.createElement("li");
            li.style.marginLeft = (depth * 18) + "px";
            const source = document.getElementById("e" + index);
            li.textContent = (depth ? "← " : "") + (source ? source.textContent : "");
            if (data.entries[index].causes.length === 0) li.classList.add("injected");
            list.appendChild(li);
            if (seen.has(index) || depth > 40) return;
            seen.add(index);
            for (const cause of data.entries[index].causes) walk(cause, depth + 1);
          };
          walk(start, 0);
        }
        for (const g of nodes) {
          g.addEventListener("click", () => { selected = g; update(); });
          g.addEventListener("keydown", (event) => { if (event.key === "Enter") { selected = g; update(); } });
        }
        slider.addEventListener("input", update);
        // `#at=SECONDS` opens the page at that moment (for links and screenshots).
        const at = /^#at=(\\d+)$/.exec(location.hash);
        if (at) slider.value = at[1];
        update();
        if (location.hash === "#selftest") {
          const out = document.getElementById("selftest");
          const colours = () => nodes.map((g) => g.getAttribute("class")).join("|");
          slider.value = slider.min; update();
          const before = colours();
          const seen = new Set([before]);
          for (let t = 0; t <= data.duration; t += 600) { slider.value = String(t); update(); seen.add(colours()); }
          if (nodes.length > 0) { selected = nodes[nodes.length - 1]; slider.value = slider.max; update(); }
          const chain = document.querySelectorAll("#chain li").length;
          out.textContent = (seen.size > 1 ? "selftest: ok" : "selftest: FAIL: the slider did not change the graph")
            + " (" + seen.size + " graph states, " + nodes.length + " nodes, chain " + chain + " links)"
            + window.reportErrors.map((m) => "\\nscript error: " + m).join("");
        }
        """
}
