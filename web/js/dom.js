// dom.js - small helpers the pages share: elements, labelled selects, a
// sortable table, and the "loading" / "failed" states.
import { t } from "./i18n.js";

// h("a", {href: "#/map", class: "x"}, "text", child...): an element.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// A <label> with a <select> of options [{value, label}]; onChange(value).
export function select(id, label, options, value, onChange) {
  const s = h("select", { id });
  for (const o of options) {
    const opt = h("option", { value: o.value }, o.label);
    if (String(o.value) === String(value)) opt.selected = true;
    s.append(opt);
  }
  s.addEventListener("change", () => onChange(s.value));
  return h("div", { class: "field" }, h("label", { for: id }, label), s);
}

export function status(text) {
  return h("p", { class: "status", role: "status" }, text || t("Loading…"));
}

export function failure(e) {
  return h("p", { class: "error", role: "alert" }, t("The server could not answer: %s", e.message));
}

// A table whose column headers sort it (buttons, so the keyboard works).
// columns: [{key, label, num: bool, render(row) -> Node|string, sort(row) -> value}]
// rows: objects.  limit: rows shown before "show all".
export function sortableTable(caption, columns, rows, { limit = 0, id } = {}) {
  let sortKey = null, dir = 1, showAll = !limit || rows.length <= limit;
  const table = h("table", { class: "data", id });
  const cap = h("caption", {}, caption);
  const thead = h("thead");
  const tbody = h("tbody");
  const more = h("button", { type: "button", class: "more" });
  table.append(cap, thead, tbody);

  function value(c, r) {
    return c.sort ? c.sort(r) : r[c.key];
  }
  function draw() {
    const tr = h("tr");
    for (const c of columns) {
      const th = h("th", { scope: "col", class: c.num ? "num" : null });
      const b = h("button", { type: "button" }, c.label);
      if (sortKey === c.key) th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
      b.addEventListener("click", () => {
        dir = sortKey === c.key ? -dir : c.num ? -1 : 1;
        sortKey = c.key;
        draw();
        thead.querySelector(`th:nth-child(${columns.indexOf(c) + 1}) button`).focus();
      });
      th.append(b);
      tr.append(th);
    }
    thead.replaceChildren(tr);
    let list = rows.slice();
    if (sortKey) {
      const c = columns.find((x) => x.key === sortKey);
      list.sort((a, b) => {
        const va = value(c, a), vb = value(c, b);
        if (va === vb) return 0;
        if (va === null || va === undefined) return 1;
        if (vb === null || vb === undefined) return -1;
        return (typeof va === "string" ? va.localeCompare(vb) : va - vb) * dir;
      });
    }
    if (!showAll) list = list.slice(0, limit);
    tbody.replaceChildren(
      ...list.map((r) => h("tr", {}, ...columns.map((c) => h(c.key === columns[0].key ? "th" : "td", { class: c.num ? "num" : null, scope: c.key === columns[0].key ? "row" : null }, c.render ? c.render(r) : r[c.key] ?? "–"))))
    );
    more.textContent = showAll ? "" : t("Show all %d rows", rows.length);
    more.hidden = showAll;
  }
  more.addEventListener("click", () => {
    showAll = true;
    draw();
  });
  draw();
  return h("div", { class: "tablewrap" }, table, more);
}
