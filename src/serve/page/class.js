// The teacher's page, projected: who has submitted (never what), then the
// reveal, round by round, and at the end the secrets.
"use strict";
// The token leaves the address bar at once (the projector shows it) and
// lives on in this tab only.
const given = new URLSearchParams(location.search).get("token");
if (given) {
  sessionStorage.setItem("zopa-teacher", given);
  history.replaceState(null, "", location.pathname);
}
const token = sessionStorage.getItem("zopa-teacher") || "";
const auth = { "X-Zopa-Token": token };
const teacher = window.teacher = { state: null, shownRounds: 0 };

function result(r, big) {
  const box = el("div", { class: "card" });
  box.append(el("h2", { text: `Round ${r.round} (the scenario at ${r.step_unit} ${r.step}): ${r.zone ? "a zone exists" : "no zone"}${r.deal ? " · deal" : ""}` }));
  if (big) {
    box.append(el("p", { class: "why", text: `${r.why} (gap ${r.gap})` }));
    box.append(el("p", { text: "Who blocks: " + r.blockers }));
    box.append(el("p", { text: "Proposal: " + r.proposal }));
    const t = el("table", {}, el("tr", {}, el("th", { text: "party" }), el("th", { text: "field" }), el("th", { text: "value" }), el("th", { text: "set by" })));
    for (const p of r.positions) t.append(el("tr", {}, el("td", { text: p.party }), el("td", { text: p.field }), el("td", { class: "num", text: p.value }), el("td", { text: p.from })));
    box.append(t);
  }
  const charts = el("div", { class: "charts two" });
  for (const svg of big ? [r.zone_chart, r.gap_chart] : [r.zone_chart]) {
    const fig = el("figure");
    fig.innerHTML = svg;
    charts.append(fig);
  }
  box.append(charts);
  return box;
}

function render(d) {
  teacher.state = d;
  const c = d.class;
  $("#title").textContent = "Class play: " + c.title;
  $("#round").textContent = c.round; $("#rounds").textContent = c.rounds;
  $("#code").textContent = d.code;
  $("#join-url").textContent = (d.join_base || location.origin) + "/join";
  const started = c.history.length > 0;
  $("#settings").classList.toggle("hidden", started);
  if (!started && !$("#seats").dataset.built) {
    $("#seats").dataset.built = "1";
    for (const p of c.parties) {
      const id = "seats-" + p.id;
      $("#seats").append(el("div", { class: "control" }, el("label", { for: id, text: `seats for ${p.name}` }), el("input", { type: "number", id, min: 0, max: 200, value: p.seats, "data-party": p.id })));
    }
    $("#allow-ideal").checked = c.allow_ideal;
    $("#rounds-in").value = c.rounds; $("#rounds-in").max = Math.min(20, c.steps);
  }
  const parties = $("#parties");
  parties.replaceChildren();
  for (const p of c.parties) {
    const who = d.students.filter(s => s.party === p.id);
    const row = el("div", { class: "party", style: `border-color:${p.colour}` }, el("b", { text: `${p.name} ` }), el("span", { text: `${who.length} of ${p.seats} seats · ` }));
    for (const s of who) row.append(el("span", { class: s.submitted ? "tick" : "wait", text: `${s.submitted ? "✓" : "…"} ${s.name}  ` }));
    parties.append(row);
  }
  $("#reveal").disabled = c.revealed;
  $("#next").disabled = !c.revealed || c.round >= c.rounds;
  $("#secrets").disabled = !c.finished || !!d.secrets;
  if (c.history.length !== teacher.shownRounds) {
    teacher.shownRounds = c.history.length;
    const last = c.history[c.history.length - 1];
    $("#result").replaceChildren(c.revealed && last ? result(last, true) : "");
    const hist = $("#history");
    hist.replaceChildren();
    if (c.finished) {
      hist.append(el("h2", { text: "Every round" }));
      for (const r of c.history) hist.append(result(r, false));
    }
  }
  if (!c.revealed) $("#result").replaceChildren();
  if (d.secrets && !$("#secret-list").childElementCount) {
    const t = el("table", {}, el("tr", {}, el("th", { text: "student" }), el("th", { text: "party" }), el("th", { text: "what they set" })));
    for (const s of d.secrets) t.append(el("tr", {}, el("td", { text: s.name }), el("td", { text: s.party }), el("td", { text: s.values.join("; ") || "nothing" })));
    $("#secret-list").append(el("h2", { text: "The secrets" }), t);
  }
}

async function refresh() {
  try { render(await api("/api/class/teacher", undefined, auth)); $("#message").textContent = ""; }
  catch (e) { $("#message").textContent = e.message; }
}

async function act(action) {
  try { render(await api("/api/class/teacher/" + action, {}, auth)); $("#message").textContent = ""; }
  catch (e) { $("#message").textContent = e.message; }
}
teacher.act = act;
teacher.refresh = refresh;

$("#save").addEventListener("click", async () => {
  const seats = [...document.querySelectorAll("#seats input")].map(i => Number(i.value));
  try {
    await api("/api/class/teacher/settings", { seats, allow_ideal: $("#allow-ideal").checked, rounds: Number($("#rounds-in").value) }, auth);
    $("#message").textContent = "";
    refresh();
  } catch (e) { $("#message").textContent = e.message; }
});
$("#reveal").addEventListener("click", () => act("reveal"));
$("#next").addEventListener("click", () => act("next"));
$("#secrets").addEventListener("click", () => act("secrets"));
bigType($("#big"));
refresh();
setInterval(refresh, 1000);
