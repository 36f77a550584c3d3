// The teacher's page, projected: who has joined and submitted (never
// what), then the reveal, round by round, and at the end the secrets.
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
const teacher = window.teacher = { state: null, shown: "" };

function chart(src, alt) {
  return el("figure", {}, el("img", { src, alt }));
}

function result(r, big) {
  const box = el("div", { class: "card" });
  box.append(el("h2", { text: `${r.heading}: ${r.zone ? "a zone exists" : "no zone"}${r.deal ? " · deal" : ""}` }));
  if (big) {
    // The why says the gap or depth with its worth in units; the bare
    // utility figure beside it would only repeat it in model words.
    box.append(el("p", { class: "why", text: r.why }));
    box.append(el("p", { text: "Who blocks: " + r.blockers }));
    box.append(el("p", { text: "Proposal: " + r.proposal }));
    const t = el("table", {}, el("tr", {}, el("th", { text: "party" }), el("th", { text: "field" }), el("th", { text: "value" }), el("th", { text: "set by" })));
    for (const p of r.positions) t.append(el("tr", {}, el("td", { text: p.party }), el("td", { text: p.field }), el("td", { class: "num", text: p.value }), el("td", { text: p.from })));
    box.append(t);
  }
  const charts = el("div", { class: "charts two" });
  charts.append(chart(r.zone_chart, `zone chart of round ${r.round}`));
  if (big) charts.append(chart(r.gap_chart, `gap chart of round ${r.round}`));
  box.append(charts);
  return box;
}

function joining(d) {
  $("#code").textContent = d.code;
  $("#join-url").textContent = d.join.url;
  $("#reach").textContent = d.join.reachable
    ? "Phones on this network can open it: scan the code beside."
    : "This server listens on loopback only: phones cannot reach it. Restart it with --host 0.0.0.0 (and the same --state file) to let the class in.";
  $("#qr").classList.toggle("hidden", !d.join.reachable);
  if (d.join.reachable && !$("#qr-img").getAttribute("src")) $("#qr-img").src = "/api/class/join.svg";
}

function settings(c) {
  $("#settings").classList.toggle("hidden", c.history.length > 0);
  if (c.history.length > 0 || $("#seats").dataset.built) return;
  $("#seats").dataset.built = "1";
  // Past eight parties the seats sit side by side, not one a line.
  $("#seats").classList.toggle("many", c.parties.length > 8);
  for (const p of c.parties) {
    const id = "seats-" + p.id;
    $("#seats").append(el("div", { class: "control" }, el("label", { for: id, text: `seats for ${p.name}` }), el("input", { type: "number", id, min: 0, max: 200, value: p.seats, "data-party": p.id })));
  }
  $("#allow-ideal").checked = c.allow_ideal;
  $("#rounds-in").value = c.rounds; $("#rounds-in").max = Math.min(20, c.steps);
}

function members(d) {
  const parties = $("#parties");
  parties.replaceChildren();
  for (const p of d.class.parties) {
    const who = d.students.filter(s => s.party === p.id);
    const seats = p.any ? "" : ` of ${p.seats} seats`;
    // After a reveal the ticks are for the round that comes next.
    const c = d.class;
    const next = c.revealed && !c.finished ? ` · for round ${c.round + 1}:` : " ·";
    const row = el("div", { class: "party", style: `border-color:${p.colour}` }, el("b", { text: `${p.name} ` }), el("span", { text: `${who.length}${seats}${next} ` }));
    for (const s of who) {
      row.append(el("span", { class: "member " + (s.submitted ? "tick" : "wait"), "data-key": s.key },
        `${s.submitted ? "✓" : "…"} ${s.name} `,
        el("button", { type: "button", class: "mini", title: `clear ${s.name}'s values`, text: "reset", onclick: () => onStudent("reset", s) }),
        el("button", { type: "button", class: "mini", title: `remove ${s.name} from the class`, text: "remove", onclick: () => onStudent("remove", s) })));
    }
    parties.append(row);
  }
}

async function roundsList(c) {
  const hist = $("#history");
  hist.replaceChildren();
  if (!c.finished) return;
  hist.append(el("h2", { text: "Every round" }));
  for (const h of c.history) hist.append(result(await api(`/api/class/round/${h.round}`), false));
}

function render(d) {
  teacher.state = d;
  const c = d.class;
  $("#title").textContent = "Class play: " + c.title;
  $("#heading").textContent = c.heading;
  $("#rounds").textContent = c.rounds;
  joining(d);
  settings(c);
  members(d);
  $("#reveal").disabled = c.revealed;
  $("#next").disabled = !c.revealed || c.round >= c.rounds;
  $("#secrets").disabled = !c.finished || !!d.secrets;
  $("#left-out").replaceChildren(...d.left_out.map(t => el("p", { text: t })));
  const shown = `${c.revealed ? c.round : 0}/${c.finished}`;
  if (shown !== teacher.shown) {
    teacher.shown = shown;
    $("#result").replaceChildren(c.result ? result(c.result, true) : "");
    roundsList(c);
  }
  if (d.secrets && !$("#secret-list").childElementCount) {
    const t = el("table", {}, el("tr", {}, el("th", { text: "student" }), el("th", { text: "party" }), el("th", { text: "what the last round played" })));
    for (const s of d.secrets) t.append(el("tr", {}, el("td", { text: s.name }), el("td", { text: s.party }), el("td", { text: s.values.join("; ") || "nothing" })));
    $("#secret-list").append(el("h2", { text: "The secrets" }), t);
  }
}

async function refresh() {
  try { render(await api("/api/class/teacher", undefined, auth)); $("#message").textContent = ""; }
  catch (e) { $("#message").textContent = e.message; }
}

async function act(action, body = {}) {
  try { render(await api("/api/class/teacher/" + action, body, auth)); $("#message").textContent = ""; }
  catch (e) { $("#message").textContent = e.message; }
}
function onStudent(action, s) {
  if (action === "remove" && !confirm(`Remove ${s.name} from the class?`)) return;
  act(action, { student: s.key });
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
