// A student's page: join with the code, pick a party, read the role card,
// set the party's secrets in the units.
"use strict";
const student = window.student = { id: location.hash.slice(1), values: {}, touched: {}, built: 0, state: null };

async function parties() {
  const c = await api("/api/class/parties");
  $("#title").textContent = "Join: " + c.title;
  const list = $("#party-list");
  list.replaceChildren();
  // Past eight parties the buttons sit two or more a row, not one a line.
  list.classList.toggle("many", c.parties.length > 8);
  for (const p of c.parties) {
    const free = p.seats - p.taken;
    const left = p.any ? `${p.taken} joined` : `${free} seat${free === 1 ? "" : "s"} left`;
    list.append(el("button", {
      type: "button", disabled: !p.any && free <= 0, style: `border-color:${p.colour}`, "data-party": p.id,
      text: `${p.name} (${left})`,
      onclick: () => join(p.id),
    }));
  }
}

async function join(party) {
  try {
    const r = await api("/api/class/join", { code: $("#code").value, name: $("#name").value, party });
    student.id = r.student;
    location.hash = r.student;
    $("#message").textContent = "";
    await refresh();
  } catch (e) { $("#message").textContent = e.message; parties(); }
}

function roleCard(card) {
  const body = $("#card-body");
  body.replaceChildren(el("p", { text: card.goal }));
  if (card.red_lines.length) {
    body.append(el("p", { class: "small", text: "Red lines:" }));
    const ul = el("ul");
    for (const l of card.red_lines) ul.append(el("li", { text: l }));
    body.append(ul);
  }
  const ideal = el("ul");
  for (const l of card.ideal) ideal.append(el("li", { text: l }));
  if (card.bloc) body.append(el("p", { class: "small", text: card.bloc }));
  body.append(el("p", { class: "small", text: "Best outcome:" }), ideal);
  for (const q of card.quotes) {
    body.append(el("blockquote", {}, el("p", { text: q.text }), el("p", { class: "small", text: `the article, line ${q.line}` + (q.note ? ` · the scenario file: ${q.note}` : "") })));
  }
}

// One field: a slider and a box in the units, its sentence, and
// the model's reading in small print.
function field(f) {
  student.values[f.path] = f.value;
  const box = numberControl(f, f.value, v => {
    student.values[f.path] = v; student.touched[f.path] = true;
    $("#status").textContent = "not submitted yet";
    // The sentence speaks of the value the server holds: marked as such
    // until Submit brings the new one.
    box.classList.add("stale");
  });
  box.append(el("p", { class: "line", text: f.line }), el("p", { class: "small", text: f.small }));
  return box;
}

function render(d) {
  student.state = d;
  $("#join-form").classList.add("hidden");
  $("#play").classList.remove("hidden");
  const c = d.class;
  $("#title").textContent = c.title;
  $("#party").textContent = d.party;
  $("#heading").textContent = c.heading;
  $("#rounds").textContent = c.rounds;
  const key = d.fields.map(f => f.path).join(",");
  if (student.built !== key) {
    student.built = key;
    roleCard(d.card);
    $("#fields").replaceChildren(...d.fields.map(field));
  }
  // What the server holds for this student, line by line.
  for (const f of d.fields) {
    const box = document.querySelector(`.control[data-path="${CSS.escape(f.path)}"]`);
    if (box && !student.touched[f.path]) {
      box.querySelector(".line").textContent = f.line; box.querySelector(".small").textContent = f.small;
      box.classList.remove("stale");
    }
  }
  $("#submit").disabled = d.open_round === null;
  if (!$("#status").textContent.startsWith("not")) $("#status").textContent = statusText(d);
  showResult(c);
}

function statusText(d) {
  if (d.open_round === null) return "the game is over";
  if (d.left_out_of != null) return `your values were left out of round ${d.left_out_of}: with your party's other students' they could not be played (your teacher sees why); what you submit now counts for round ${d.open_round}`;
  if (d.submitted) return `submitted for round ${d.open_round}; you may revise until its reveal`;
  return d.class.revealed ? `round ${d.class.round} is revealed; what you submit now counts for round ${d.open_round}` : "not submitted yet";
}

function showResult(c) {
  const box = $("#revealed");
  const r = c.result;
  if (!r) { box.replaceChildren(); box.dataset.round = ""; return; }
  if (box.dataset.round === String(r.round)) return;
  box.dataset.round = r.round;
  const fig = el("figure", {}, el("img", { src: r.zone_chart, alt: `zone chart of round ${r.round}` }));
  box.replaceChildren(el("div", { class: "card" },
    el("h2", { text: `${r.heading}: ${r.zone ? "a zone exists" : "no zone"}` }),
    el("p", { text: r.why }), el("p", { text: "Who blocks: " + r.blockers }), el("p", { text: "Proposal: " + r.proposal }), fig));
}

async function refresh() {
  if (!student.id) return parties();
  try { render(await api("/api/class/student/" + student.id)); }
  catch (e) { $("#message").textContent = e.message; }
}

async function submit() {
  const d = student.state;
  const mine = new Set(d ? d.fields.filter(f => f.mine).map(f => f.path) : []);
  const edits = Object.entries(student.values)
    .filter(([path]) => mine.has(path) || student.touched[path])
    .map(([path, value]) => ({ path, value }));
  try {
    const r = await api(`/api/class/student/${student.id}/submit`, edits);
    student.touched = {};
    $("#status").textContent = `submitted for round ${r.round}; you may revise until its reveal`;
    $("#message").textContent = "";
    document.querySelectorAll(".control.bad").forEach(c => c.classList.remove("bad"));
    await refresh();
  } catch (e) {
    $("#message").textContent = e.message;
    const c = e.path && document.querySelector(`.control[data-path="${CSS.escape(e.path)}"]`);
    if (c) c.classList.add("bad");
  }
}
student.submit = submit;
$("#submit").addEventListener("click", submit);
$("#join-form").addEventListener("submit", e => e.preventDefault());
refresh();
setInterval(refresh, 1500);
