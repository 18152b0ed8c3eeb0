"use strict";
(function () {
  var data = JSON.parse(document.getElementById("relscope-data").textContent);
  var esc = function (s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };
  var num = function (v) {
    if (typeof v !== "number") return esc(v);
    var a = Math.abs(v);
    return a >= 100 ? Math.round(v).toLocaleString("en") : String(Math.round(v * 100) / 100);
  };
  var xText = function (spec, x) {
    if (spec.x_time && x != null) {
      var d = new Date(x);
      if (!isNaN(d)) return d.toISOString().slice(0, 10);
    }
    return esc(x);
  };
  // Every tooltip is built here, from escaped text only: names and labels are data.
  var tooltip = function (spec) {
    // A unit in words is singular for exactly one ("1 incident", "1 day"); "%" is left alone.
    var unitOf = function (v) {
      if (!spec.y_unit) return "";
      var u = spec.y_unit;
      if (Number(v) === 1 && /^[a-z]+s$/.test(u)) u = u.slice(0, -1);
      return " " + esc(u);
    };
    return function (p) {
      var list = Array.isArray(p) ? p : [p];
      var out = [];
      if (Array.isArray(p) && list.length) out.push("<b>" + esc(list[0].axisValueLabel) + "</b>");
      list.forEach(function (it) {
        if (it.componentType === "markLine") {
          out.push(esc(it.name) + ": " + num(it.value) + unitOf(it.value));
          return;
        }
        if (it.dataType === "edge") {
          out.push(esc(it.data.source) + " blocks " + esc(it.data.target) + ": " + num(it.data.value) + unitOf(it.data.value));
          return;
        }
        var v = it.value, x = null;
        if (Array.isArray(v)) { x = v[0]; v = v[1]; }
        if (Array.isArray(p) && (v === "-" || v == null)) return;
        var line = it.marker + esc(it.seriesName);
        if (it.name && !Array.isArray(p)) line += " · " + esc(it.name);
        if (x != null && !Array.isArray(p)) line += "<br>" + xText(spec, x);
        out.push(line + ": <b>" + num(v) + "</b>" + unitOf(v));
      });
      return out.join("<br>");
    };
  };
  var charts = [];
  document.querySelectorAll(".echart").forEach(function (el) {
    var spec = data.charts[Number(el.getAttribute("data-chart"))];
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var opt = spec.option;
    (opt.yAxis || []).forEach(function (a) { if (a.nameLocation === "end") a.nameTextStyle = { align: "left" }; });
    // A few categories are all labelled, not every other one: side by side, wrapped at
    // spaces to their share of the width, or slanted when a word would not fit that share.
    (opt.xAxis || []).forEach(function (a) {
      var cats = a.type === "category" && a.data;
      if (!cats || !cats.length || cats.length > 16) return;
      // Each category's share of the plot: the chart less its margins and the value axis's labels.
      var px = 7, width = Math.max(24, el.clientWidth - 80) / cats.length;
      var longest = 0, word = 0;
      cats.forEach(function (c) {
        longest = Math.max(longest, String(c).length);
        String(c).split(" ").forEach(function (w) { word = Math.max(word, w.length); });
      });
      var gap = a.nameGap || 28;
      if (word * px > width) {
        // Slanted, and wrapped at spaces to the longest word: "regulated without signoff"
        // slants as three short lines, not one long one reaching past the chart's left edge.
        var lineW = Math.ceil(word * px * 1.3), lines = 1; // room for the widest letters: a word never breaks
        cats.forEach(function (c) { lines = Math.max(lines, Math.ceil(String(c).length * px / lineW)); });
        a.axisLabel = Object.assign({}, a.axisLabel, { interval: 0, rotate: 40, width: lineW, overflow: "break" });
        a.nameGap = gap + Math.round(Math.min(longest, word) * px * 0.64 + (lines - 1) * 14 * 0.77);
      } else if (longest * px > width) {
        a.axisLabel = Object.assign({}, a.axisLabel, { interval: 0, width: width, overflow: "break" });
        a.nameGap = gap + 14 * (Math.ceil(longest * px / width) - 1);
      } else {
        a.axisLabel = Object.assign({}, a.axisLabel, { interval: 0 });
      }
    });
    // Reference lines close together (P50, P85, P95) would print their labels over each
    // other at the right end: spread them along the line.
    var spread = ["insideEndTop", "insideMiddleTop", "insideStartTop"];
    (opt.series || []).forEach(function (s) {
      var d = s.markLine && s.markLine.data;
      if (!d || d.length < 2) return;
      d.forEach(function (m, i) { m.label = { position: spread[(d.length - 1 - i) % spread.length] }; });
    });
    // Confined to the chart and wrapped to its width: a long item title stays on a phone's screen.
    opt.tooltip = Object.assign({}, opt.tooltip || {}, { formatter: tooltip(spec), confine: true,
      extraCssText: "white-space: normal; overflow-wrap: anywhere; max-width: " + Math.max(160, el.clientWidth - 16) + "px;" });
    if (spec.empty) {
      opt.graphic = [{ type: "text", left: "center", top: "middle", style: { text: spec.empty, fill: "#555", fontSize: 14 } }];
    }
    chart.setOption(opt);
    charts.push({ el: el, chart: chart, spec: spec });
  });
  window.relscopeCharts = charts;

  var seriesNames = function (c) {
    return (c.chart.getOption().series || []).map(function (s) { return s.name; });
  };
  var applyTeam = function (team) {
    charts.forEach(function (c) {
      var names = seriesNames(c);
      if (names.indexOf(team) < 0 && team !== "") return;
      names.forEach(function (n) {
        c.chart.dispatchAction({ type: team === "" || n === team ? "legendSelect" : "legendUnSelect", name: n });
      });
    });
  };
  var fmtInt = function (n) { return n.toLocaleString("en"); };
  // A printed table shows its first rows of those the filters leave, and says so.
  var applyPrintRows = function () {
    document.querySelectorAll(".table-block[data-print-limit]").forEach(function (b) {
      var limit = Number(b.getAttribute("data-print-limit")), shown = 0;
      b.querySelectorAll("tbody tr").forEach(function (tr) {
        var visible = !tr.classList.contains("hidden");
        if (visible) shown++;
        tr.classList.toggle("print-cut", visible && shown > limit);
      });
      var more = b.querySelector(".print-more");
      if (!more) return;
      more.hidden = shown <= limit;
      more.textContent = shown > limit ? "Printed: the first " + fmtInt(limit) + " of these " + fmtInt(shown) + " rows; the dashboard file holds them all." : "";
    });
  };
  var applyRows = function () {
    var team = (document.getElementById("f-team") || {}).value || "";
    var from = (document.getElementById("f-from") || {}).value || "";
    document.querySelectorAll("tr[data-team], tr[data-month]").forEach(function (tr) {
      var t = tr.getAttribute("data-team"), m = tr.getAttribute("data-month");
      var hide = (team && t !== null && t !== team) || (from && m !== null && m < from);
      tr.classList.toggle("hidden", !!hide);
    });
    applyPrintRows();
  };
  var applyFrom = function (from) {
    charts.forEach(function (c) {
      var o = c.chart.getOption();
      if (!o.dataZoom || !o.dataZoom.length) return;
      if (c.spec.x_time) {
        c.chart.dispatchAction({ type: "dataZoom", startValue: new Date(from + "-01T00:00:00Z").getTime() });
        return;
      }
      var cats = (o.xAxis && o.xAxis[0] && o.xAxis[0].data) || [];
      for (var i = 0; i < cats.length; i++) {
        if (String(cats[i]).slice(0, 7) >= from) {
          c.chart.dispatchAction({ type: "dataZoom", startValue: i });
          return;
        }
      }
    });
  };
  // Each tile holds its numbers for the scope and for each team; show the chosen team's.
  var applyTiles = function (team) {
    document.querySelectorAll(".tile").forEach(function (tile) {
      var shown = null;
      tile.querySelectorAll(".tile-numbers").forEach(function (n) {
        var mine = team === "" ? n.hasAttribute("data-scope") : n.getAttribute("data-team") === team;
        if (mine) shown = n;
        n.hidden = !mine;
      });
      var none = tile.querySelector("[data-team-none]");
      if (!shown && none) none.hidden = false;
    });
  };
  // What the filters show, for a printed page (the filters themselves are not printed).
  var applyPrintNote = function () {
    var note = document.getElementById("print-filter");
    if (!note) return;
    var team = (document.getElementById("f-team") || {}).value || "";
    var from = (document.getElementById("f-from") || {}).value || "";
    var parts = [];
    if (team) parts.push("team " + team);
    if (from && fromSel && from !== fromSel.options[0].value) parts.push("from " + from);
    note.textContent = parts.length ? "Filtered in the page: " + parts.join(", ") + "." : "";
    note.hidden = !parts.length;
  };
  var teamSel = document.getElementById("f-team");
  var fromSel = document.getElementById("f-from");
  if (teamSel) teamSel.addEventListener("change", function () { applyTeam(teamSel.value); applyTiles(teamSel.value); applyRows(); applyPrintNote(); });
  if (fromSel) fromSel.addEventListener("change", function () { applyFrom(fromSel.value); applyRows(); applyPrintNote(); });

  var resize = function () { charts.forEach(function (c) { c.chart.resize(); }); };
  window.addEventListener("resize", resize);
  window.addEventListener("beforeprint", resize);
  window.addEventListener("afterprint", resize);
  // Headless printing (chromium --print-to-pdf) switches to print media without beforeprint.
  if (window.matchMedia) {
    var printing = window.matchMedia("print");
    if (printing.addEventListener) printing.addEventListener("change", resize);
  }
})();
