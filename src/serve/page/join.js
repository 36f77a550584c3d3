// A student's page: join with the code, pick a party, set its secrets.
"use strict";
const student = window.student = { id: location.hash.slice(1), values: {}, built: 0 };

async function parties() {
  const c = await api("/api/class/parties");
  $("#title").textContent = "Join: " + c.title;
  const list = $("#party-list");
  list.replaceChildren();
  for (const p of c.parties) {
    const free = p.seats - p.taken;
    list.append(el("button", {
      type: "button", disabled: free <= 0, style: `border-color:${p.colour}`, "data-party": p.id,
      text: `${p.name} (${free} seat${free === 1 ? "" : "s"} left)`,
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

function render(d) {
  $("#join-form").classList.add("hidden");
  $("#play").classList.remove("hidden");
  $("#title").textContent = d.class.title;
  $("#party").textContent = d.party;
  $("#round").textContent = d.class.round; $("#rounds").textContent = d.class.rounds;
  const key = d.fields.map(f => f.path).join(",");
  if (student.built !== key) {
    student.built = key;
    const form = $("#fields");
    form.replaceChildren();
    for (const f of d.fields) {
      student.values[f.path] = f.value;
      form.append(numberControl(f, f.value, v => { student.values[f.path] = v; $("#status").textContent = "not submitted yet"; }));
    }
  }
  const c = d.class;
  $("#submit").disabled = c.revealed;
  if (!$("#status").textContent.startsWith("not"))
    $("#status").textContent = c.revealed ? "revealed: see below" : d.submitted ? `submitted for round ${c.round}; you may revise until the reveal` : "not submitted yet";
  const last = c.history[c.history.length - 1];
  const box = $("#revealed");
  if (c.revealed && last) {
    if (box.dataset.round !== String(last.round)) {
      box.dataset.round = last.round;
      box.replaceChildren(el("div", { class: "card" },
        el("h2", { text: `Round ${last.round}: ${last.zone ? "a zone exists" : "no zone"}` }),
        el("p", { text: last.why }), el("p", { text: "Who blocks: " + last.blockers }), el("p", { text: "Proposal: " + last.proposal })));
    }
  } else { box.replaceChildren(); box.dataset.round = ""; }
}

async function refresh() {
  if (!student.id) return parties();
  try { render(await api("/api/class/student/" + student.id)); }
  catch (e) { $("#message").textContent = e.message; }
}

async function submit() {
  const edits = Object.entries(student.values).map(([path, value]) => ({ path, value }));
  try {
    const r = await api(`/api/class/student/${student.id}/submit`, edits);
    $("#status").textContent = `submitted for round ${r.round}; you may revise until the reveal`;
    $("#message").textContent = "";
    document.querySelectorAll(".control.bad").forEach(c => c.classList.remove("bad"));
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
