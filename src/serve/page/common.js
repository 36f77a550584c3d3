// Small helpers every page uses.
"use strict";
const $ = (sel, root = document) => root.querySelector(sel);
function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== false && v !== null && v !== undefined) e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
}
// JSON over HTTP; a refusal becomes an Error carrying the server's words.
async function api(url, body, headers = {}) {
  const init = body === undefined ? { headers } : {
    method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body),
  };
  const r = await fetch(url, init);
  const text = await r.text();
  let data = null;
  try { data = JSON.parse(text); } catch (_) { data = text; }
  if (!r.ok) {
    const err = new Error((data && data.message) || text || r.statusText);
    err.path = data && data.path;
    err.status = r.status;
    throw err;
  }
  return data;
}
function saveAs(name, text, type) {
  const a = el("a", { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a); a.click(); a.remove();
}
function bigType(button) {
  const on = localStorage.getItem("zopa-big") === "1";
  document.body.classList.toggle("big", on);
  button.setAttribute("aria-pressed", on);
  button.addEventListener("click", () => {
    const now = !document.body.classList.contains("big");
    document.body.classList.toggle("big", now);
    button.setAttribute("aria-pressed", now);
    localStorage.setItem("zopa-big", now ? "1" : "0");
  });
}
// A control's label in words with its unit, and the model's name for it
// (a label's closing bracket, "bar (reservation)", and the field's path),
// which only a tooltip shows.
function controlWords(c) {
  const m = c.label.match(/^(.+?)\s*\(([^()]*)\)$/);
  const words = (m ? m[1] : c.label).replace(/_/g, " ");
  const model = (m ? `${m[2]}: ` : "") + c.path;
  return { title: words + (c.unit ? ` (${c.unit})` : ""), model };
}
// The control's one line of help, shown under it.
function helpLine(c) {
  return c.help ? el("div", { class: "help", text: c.help }) : document.createTextNode("");
}
// A number input and a slider that move together.
function numberControl(c, value, onChange) {
  const id = "c-" + c.path.replace(/[^a-z0-9]/gi, "-");
  const wrap = el("div", { class: "control", "data-path": c.path });
  const { title, model } = controlWords(c);
  if (c.kind === "switch") {
    const box = el("input", { type: "checkbox", id });
    box.checked = value;
    box.addEventListener("change", () => onChange(box.checked));
    wrap.append(el("div", { class: "row" }, box, el("label", { for: id, text: title, title: model })), helpLine(c));
    return wrap;
  }
  if (c.kind === "choice") {
    const sel = el("select", { id });
    for (const o of c.options) sel.append(el("option", { value: o, text: o }));
    sel.value = value;
    sel.addEventListener("change", () => onChange(sel.value));
    wrap.append(el("label", { for: id, text: title, title: model }), sel, helpLine(c));
    return wrap;
  }
  const lo = Math.min(c.low, value), hi = Math.max(c.high, value);
  const range = el("input", { type: "range", min: lo, max: hi, step: c.step, "aria-label": title });
  const num = el("input", { type: "number", id, min: c.min, max: c.max, step: "any" });
  range.value = value; num.value = value;
  range.addEventListener("input", () => { num.value = range.value; onChange(Number(range.value)); });
  num.addEventListener("change", () => {
    if (num.value === "" || !isFinite(Number(num.value))) return;
    range.value = num.value; onChange(Number(num.value));
  });
  wrap.append(el("label", { for: id, text: title, title: model }), el("div", { class: "row" }, range, num), helpLine(c), el("div", { class: "err", "aria-live": "polite" }));
  return wrap;
}
