// The explore page: every control is generated from the scenario; every
// change re-runs it on the server and redraws the charts.
"use strict";
const slug = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
const zopa = window.zopa = {
  scenario: null, edits: {}, pin: null, view: null, asked: 0, shown: 0, busy: 0, pending: false,
};

function ask() {
  const at = $("#at").value.trim();
  return {
    edits: Object.entries(zopa.edits).map(([path, value]) => ({ path, value })),
    seed: Number($("#seed").value || 1),
    at: at === "" ? null : Number(at),
    pin: zopa.pin,
  };
}

let timer = null;
// `pending`: a change is waiting out the pause before its run is asked
// for, so the page is not yet showing it.
function schedule() { clearTimeout(timer); zopa.pending = true; timer = setTimeout(runNow, 60); }

async function runNow() {
  // This run asks with every change so far: one still waiting is covered.
  clearTimeout(timer);
  zopa.pending = false;
  const n = ++zopa.asked;
  zopa.busy++;
  document.body.setAttribute("aria-busy", "true");
  try {
    const v = await api(`/api/scenarios/${slug}/run`, ask());
    if (n < zopa.shown) return;
    zopa.shown = n;
    show(v);
  } catch (e) {
    if (n < zopa.shown) return;
    zopa.shown = n;
    refusal(e);
  } finally {
    if (--zopa.busy === 0) document.body.removeAttribute("aria-busy");
  }
}

function refusal(e) {
  $("#message").textContent = e.message;
  document.querySelectorAll(".control.bad").forEach(c => c.classList.remove("bad"));
  if (e.path) {
    const c = document.querySelector(`.control[data-path="${CSS.escape(e.path)}"]`);
    if (c) {
      c.classList.add("bad"); const m = $(".err", c); if (m) m.textContent = e.message;
      // A folded group opens to show the control refused.
      for (let d = c.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
    }
  }
}

function show(v) {
  zopa.view = v;
  $("#message").textContent = "";
  document.querySelectorAll(".control.bad").forEach(c => { c.classList.remove("bad"); const m = $(".err", c); if (m) m.textContent = ""; });
  const verdict = $("#verdict");
  verdict.classList.toggle("open", v.zone_at);
  verdict.textContent = `${v.zone_at ? "A zone exists" : "No zone"} at ${zopa.scenario.step_unit} ${v.at} · outcome: ${v.outcome} · first zone: ${v.first_zone}`;
  $("#why").textContent = v.why;
  $("#changes").textContent = v.changes.length
    ? "Changed: " + v.changes.map(c => `${c.path} ${c.from} → ${c.to}${c.units}`).join("; ")
    : "The scenario as written.";
  for (const k of ["zone", "gap", "issues", "outcome"]) $("#" + k).innerHTML = v.charts[k];
  drawLegend($("#zone-legend"), v.charts.zone_legend);
  const assumed = $("#assumptions");
  assumed.replaceChildren();
  assumed.hidden = v.assumptions.length === 0 && v.cited.length === 0;
  if (!assumed.hidden) assumed.append(el("h2", {}, "Assumptions"));
  if (v.assumptions.length) {
    assumed.append(el("p", {}, "Not in the article: chosen for this scenario."),
      el("ul", {}, ...v.assumptions.map(a => el("li", {}, a))));
  }
  if (v.cited.length) {
    assumed.append(el("p", {}, "Read from the article:"),
      el("ul", { class: "cited" }, ...v.cited.map(a => el("li", {}, a))));
  }
  // A bloc's members and rule are read-only: the page moves no member.
  if (v.blocs.length) {
    assumed.hidden = false;
    assumed.append(el("h2", {}, "Blocs"),
      el("ul", { class: "blocs" }, ...v.blocs.map(b => el("li", {}, b))));
  }
  $("#openings").innerHTML = v.openings;
  $("#story").textContent = v.story;
  document.querySelectorAll(".control[data-path]").forEach(c => c.classList.toggle("changed", c.dataset.path in zopa.edits));
  // A bar is a utility: beside its slider, the settlements it stands for.
  for (const w of v.bar_worth) {
    const c = document.querySelector(`.control[data-path="${CSS.escape(w.path)}"]`);
    if (!c) continue;
    let line = $(".worth", c);
    if (!line) { line = el("div", { class: "worth" }); $(".row", c).after(line); }
    line.textContent = w.text ? "= " + w.text : "";
  }
}

// Past eight parties (or 150 controls) the page is crowded: every group
// starts folded, the parties' groups fold into one, and inside a group the
// controls of one kind over many issues ("ideal: ...") fold together.
const CROWDED_PARTIES = 8, CROWDED_CONTROLS = 150, PER_ISSUE_FOLD = 4;

function build(sc) {
  $("#title").textContent = sc.title;
  document.title = "zopa: " + sc.title;
  $("#at").max = sc.steps - 1;
  const isParty = c => c.path.startsWith("parties.");
  const partyGroups = new Set(sc.controls.filter(isParty).map(c => c.group));
  const crowded = partyGroups.size > CROWDED_PARTIES || sc.controls.length > CROWDED_CONTROLS;
  let parties = null;
  if (crowded) {
    parties = el("details", { class: "parties-group" }, el("summary", { text: `Parties (${partyGroups.size})` }));
    $("#controls").append(parties);
  }
  // How many controls of a group share the words before a colon: those
  // over more than PER_ISSUE_FOLD issues fold into one.
  const kind = c => (c.label.match(/^([^:]+): /) || [])[1];
  const counts = new Map();
  for (const c of sc.controls) {
    const k = kind(c);
    if (k) counts.set(c.group + "\u0000" + k, (counts.get(c.group + "\u0000" + k) || 0) + 1);
  }
  const groups = new Map(), folds = new Map();
  for (const c of sc.controls) {
    if (!groups.has(c.group)) {
      const d = el("details", { class: "group" }, el("summary", { text: c.group }));
      if (groups.size === 0 && !crowded) d.open = true;
      groups.set(c.group, d);
      (crowded && isParty(c) ? parties : $("#controls")).append(d);
    }
    let into = groups.get(c.group);
    const k = kind(c), key = c.group + "\u0000" + k;
    if (k && counts.get(key) > PER_ISSUE_FOLD) {
      if (!folds.has(key)) {
        const f = el("details", { class: "per-issue" }, el("summary", { text: `${k} on each issue (${counts.get(key)})` }));
        folds.set(key, f);
        into.append(f);
      }
      into = folds.get(key);
    }
    into.append(numberControl(c, c.value, value => {
      if (JSON.stringify(value) === JSON.stringify(c.value)) delete zopa.edits[c.path];
      else zopa.edits[c.path] = value;
      schedule();
    }));
  }
}

async function download(kind) {
  const a = ask();
  const url = `/api/scenarios/${slug}/${kind}`;
  const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(a) });
  const text = await r.text();
  if (!r.ok) { refusal(new Error(text)); return null; }
  return text;
}
zopa.scenarioText = () => download("scenario.toml");
zopa.timelineText = () => download("timeline.csv");
zopa.runNow = runNow;

async function monteCarlo() {
  const button = $("#mc");
  button.disabled = true;
  const bar = $("#mc-progress div");
  try {
    const job = await api(`/api/scenarios/${slug}/mc`, { ...ask(), runs: Number($("#runs").value) });
    for (;;) {
      const s = await api(`/api/mc/${job.job}`);
      bar.style.width = (100 * s.done / s.runs) + "%";
      $("#mc-status").textContent = `${s.done} of ${s.runs} runs`;
      if (s.result) {
        $("#mc-chart").innerHTML = s.result.chart;
        $("#mc-status").textContent = `${s.runs} runs: P(zone at some ${zopa.scenario.step_unit}) ${(100 * s.result.p_zone_ever).toFixed(1)}%, P(deal) ${(100 * s.result.p_deal).toFixed(1)}%`;
        break;
      }
      await new Promise(r => setTimeout(r, 150));
    }
  } catch (e) {
    $("#mc-status").textContent = e.message;
  } finally {
    button.disabled = false;
  }
}

function pin() {
  if (zopa.pin) { zopa.pin = null; $("#pin").textContent = "Pin"; }
  else { const a = ask(); zopa.pin = { edits: a.edits, seed: a.seed }; $("#pin").textContent = "Unpin"; }
  runNow();
}

api(`/api/scenarios/${slug}`).then(sc => {
  zopa.scenario = sc;
  build(sc);
  runNow();
}).catch(e => { $("#title").textContent = "zopa"; refusal(e); });

bigType($("#big"));
$("#seed").addEventListener("change", schedule);
$("#at").addEventListener("change", schedule);
$("#pin").addEventListener("click", pin);
$("#reset").addEventListener("click", () => { zopa.edits = {}; location.reload(); });
$("#download").addEventListener("click", async () => { const t = await zopa.scenarioText(); if (t !== null) saveAs(`${slug}-variant.toml`, t, "application/toml"); });
$("#csv").addEventListener("click", async () => { const t = await zopa.timelineText(); if (t !== null) saveAs("timeline.csv", t, "text/csv"); });
$("#mc").addEventListener("click", monteCarlo);
document.addEventListener("keydown", e => {
  if (e.target.matches("input, select, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "p") pin();
  if (e.key === "m") monteCarlo();
  if (e.key === "+") $("#big").click();
});

// A chart beside another opens at full width with one click or Enter.
for (const fig of document.querySelectorAll(".charts figure[tabindex]")) {
  const toggle = () => fig.classList.toggle("full");
  fig.addEventListener("click", toggle);
  fig.addEventListener("keydown", (e) => { if (e.key === "Enter") toggle(); });
}

// A chart's legend in the page's own text, so it stays readable however far
// the chart is scaled down: one sample (drawn as the chart draws the
// series) and its words per entry.
function drawLegend(list, entries) {
  const ns = "http://www.w3.org/2000/svg";
  const shape = (tag, attrs) => {
    const el = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    return el;
  };
  list.replaceChildren();
  for (const e of entries) {
    const item = document.createElement("li");
    const svg = shape("svg", { width: 30, height: 16, viewBox: "0 0 30 16", "aria-hidden": "true" });
    const stroke = { stroke: e.colour, "stroke-width": Math.max(e.width, 1) };
    if (e.kind === "line") svg.append(shape("line", { x1: 0, y1: 8, x2: 28, y2: 8, ...stroke }));
    if (e.kind === "dashed") svg.append(shape("line", { x1: 0, y1: 8, x2: 28, y2: 8, "stroke-dasharray": "6 5", ...stroke }));
    if (e.kind === "block") svg.append(shape("rect", { x: 0, y: 0, width: 28, height: 16, fill: e.colour }));
    if (e.kind === "band") svg.append(shape("rect", { x: 1, y: 1, width: 26, height: 14, fill: e.colour, "fill-opacity": 0.3, ...stroke }));
    if (e.kind === "dot") svg.append(shape("circle", { cx: 14, cy: 8, r: 5, fill: "#fff", ...stroke }));
    if (e.kind === "cross") svg.append(shape("path", { d: "M9 3 L19 13 M19 3 L9 13", ...stroke }));
    item.append(svg, document.createTextNode(" " + e.text));
    list.append(item);
  }
}
