// pages/data.js - the data behind every figure: the tables import and
// export know (GET /api/v1/tables), a table's columns with their plausible
// ranges (GET /api/v1/tables/{table}) and its rows, paged
// (GET /api/v1/tables/{table}/rows); the sources with their kinds
// (GET /api/v1/sources); and an upload form for analysts that POSTs a CSV
// file to /api/v1/import/{table} with their API key (Authorization: Bearer)
// and shows the importer's positioned error (file, line, column, field,
// expected, found) or the count of rows imported.  All or nothing: a file
// with one bad row changes nothing.
import { getJSON, getAll, apiUrl } from "../api.js";
import { t, num } from "../i18n.js";
import { h, status, failure, select, sortableTable } from "../dom.js";
import { hashFor } from "../route.js";

export const id = "data";
export const nav = true;
export const title = () => t("Data");

const KEY_STORE = "kasip.key";
const PAGE_ROWS = 50;

// The words of a source's kind (the values of source.kind).
function kindLabel(kind) {
  const words = {
    official: t("official"),
    derived: t("derived"),
    estimate: t("estimate"),
    assumption: t("assumption"),
    user: t("uploaded by a user"),
  };
  return words[kind] || kind;
}

function savedKey() {
  try {
    return sessionStorage.getItem(KEY_STORE) || "";
  } catch (e) {
    return "";
  }
}

function saveKey(k) {
  try {
    if (k) sessionStorage.setItem(KEY_STORE, k);
    else sessionStorage.removeItem(KEY_STORE);
  } catch (e) {
    // storage refused: the key lasts while the form is on the screen
  }
}

// The importer's error as a definition list, and the line it names from
// the file itself so that the analyst sees the value in its place.
function importError(err, text) {
  const box = h("div", { class: "import-error", id: "import-result", role: "alert" });
  box.append(h("p", { class: "error" }, err.message || err.code));
  if (err.detail) box.append(h("p", {}, err.detail));
  const facts = [
    ["file", t("File")],
    ["line", t("Line")],
    ["column", t("Column")],
    ["field", t("Field")],
    ["expected", t("Expected")],
    ["found", t("Found")],
  ].filter(([k]) => err[k] !== undefined && err[k] !== null && err[k] !== "");
  if (facts.length)
    box.append(h("dl", { class: "where" }, facts.map(([k, label]) => h("div", { "data-key": k }, h("dt", {}, label), h("dd", {}, String(err[k]))))));
  if (text && err.line) {
    const line = text.split(/\r\n|\n|\r/)[err.line - 1];
    if (line !== undefined)
      box.append(h("p", { class: "muted" }, t("Line %d of the file:", err.line)), h("pre", { class: "csvline" }, h("span", { class: "lineno" }, String(err.line) + ": "), ...markField(line, err.column)));
  }
  return box;
}

// The line's text with the field at column (1-based) marked; a line with
// quotes is shown as it is (its fields are not split here).
function markField(line, column) {
  if (!column || line.includes('"')) return [line];
  const delim = [",", ";", "\t"].reduce((a, b) => (line.split(b).length > line.split(a).length ? b : a));
  const fields = line.split(delim);
  if (column > fields.length) return [line];
  const before = fields.slice(0, column - 1).join(delim) + (column > 1 ? delim : "");
  const after = (column < fields.length ? delim : "") + fields.slice(column).join(delim);
  return [before, h("mark", {}, fields[column - 1]), after];
}

function uploadForm(tables, chosen, onDone) {
  const result = h("div", { id: "import-result-holder", "aria-live": "polite" });
  const key = h("input", { type: "password", id: "up-key", name: "key", autocomplete: "off", spellcheck: "false", value: savedKey(), "aria-describedby": "up-key-hint", required: true });
  const table = h("select", { id: "up-table", name: "table", required: true });
  for (const tb of tables) {
    const o = h("option", { value: tb.name }, tb.name);
    if (tb.name === chosen) o.selected = true;
    table.append(o);
  }
  const file = h("input", { type: "file", id: "up-file", name: "file", accept: ".csv,.tsv,.txt,text/csv", required: true });
  const send = h("button", { type: "submit", id: "up-send" }, t("Upload"));
  const forget = h("button", { type: "button", id: "up-forget" }, t("Forget the key"));
  forget.addEventListener("click", () => {
    key.value = "";
    saveKey("");
    key.focus();
  });
  async function submit(e) {
    e.preventDefault();
    const f = file.files[0];
    if (!key.value.trim() || !f) {
      result.replaceChildren(h("p", { class: "error", id: "import-result", role: "alert" }, t("An API key and a file are needed.")));
      return;
    }
    saveKey(key.value.trim());
    send.disabled = true;
    result.replaceChildren(status(t("Uploading…")));
    let text = "";
    try {
      text = await f.text();
    } catch (e2) {
      text = "";
    }
    try {
      const r = await fetch(apiUrl(`/api/v1/import/${encodeURIComponent(table.value)}`, { name: f.name }), {
        method: "POST",
        headers: { Authorization: "Bearer " + key.value.trim(), "Content-Type": "text/csv", Accept: "application/json" },
        body: f,
      });
      let body = null;
      try {
        body = await r.json();
      } catch (e3) {
        body = null;
      }
      if (r.ok && body) {
        result.replaceChildren(
          h("p", { class: "ok", id: "import-result", role: "status" }, t("Imported %s rows into %s: %s new, %s replaced.", num(body.rows), body.table, num(body.inserted), num(body.replaced)))
        );
        onDone(body.table);
      } else {
        const err = body && body.error ? body.error : { message: r.statusText || String(r.status) };
        result.replaceChildren(importError(err, text));
        if (r.status === 401 || r.status === 403) key.focus();
      }
    } catch (e4) {
      result.replaceChildren(failure(e4));
    } finally {
      send.disabled = false;
    }
  }
  const form = h(
    "form",
    { class: "upload", id: "upload", onsubmit: submit },
    h("div", { class: "field" }, h("label", { for: "up-key" }, t("API key")), key),
    h("p", { id: "up-key-hint", class: "muted" }, t("An analyst's or administrator's key (kasip key new); kept in this tab only until it is closed.")),
    h("div", { class: "field" }, h("label", { for: "up-table" }, t("Table")), table),
    h("div", { class: "field" }, h("label", { for: "up-file" }, t("CSV file")), file),
    h("div", { class: "row" }, send, forget),
    h("p", { class: "muted" }, t("All rows or none: a file with one bad row changes nothing, and the error names its line and column."))
  );
  return [form, result];
}

// One table's columns and a page of its rows.
async function tableDetail(holder, name, ctx) {
  const offset = Math.max(0, Number(ctx.query.get("offset")) || 0);
  const [def, rows] = await Promise.all([
    getJSON(`/api/v1/tables/${encodeURIComponent(name)}`),
    getJSON(`/api/v1/tables/${encodeURIComponent(name)}/rows`, { limit: PAGE_ROWS, offset }),
  ]);
  if (ctx.stale()) return;
  holder.replaceChildren();
  holder.append(h("h2", { id: "table-title" }, t("Table %s", name)));
  holder.append(
    sortableTable(
      t("Columns"),
      [
        { key: "name", label: t("Column") },
        { key: "type", label: t("Type") },
        { key: "range", label: t("Range"), render: (c) => c.range || "–" },
        { key: "key", label: t("Key"), render: (c) => (c.key ? t("yes") : "") },
        { key: "optional", label: t("Optional"), render: (c) => (c.optional ? t("yes") : "") },
        { key: "default", label: t("Default"), render: (c) => c.default ?? "" },
        { key: "what", label: t("Meaning") },
      ],
      def.columns,
      { id: "columns" }
    )
  );
  const cols = def.columns.map((c) => c.name);
  const items = rows.items || [];
  const table = h("table", { class: "data", id: "rows" }, h("caption", {}, t("Rows %s to %s", num(items.length ? offset + 1 : 0), num(offset + items.length))));
  table.append(h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c)))));
  table.append(h("tbody", {}, items.map((r) => h("tr", {}, cols.map((c) => h("td", { class: typeof r[c] === "number" ? "num" : null }, r[c] === null || r[c] === undefined ? "" : String(r[c])))))));
  holder.append(h("div", { class: "tablewrap" }, table));
  if (!items.length) holder.append(h("p", { class: "muted", id: "rows-empty" }, t("The table has no rows.")));
  const pager = h("nav", { class: "pager", "aria-label": t("Pages of rows") });
  if (offset > 0) pager.append(h("a", { href: hashFor("data", name, { offset: Math.max(0, offset - PAGE_ROWS) || "" }), id: "rows-prev" }, "← " + t("Previous")));
  if (rows.next) pager.append(h("a", { href: hashFor("data", name, { offset: offset + items.length }), id: "rows-next" }, t("Next") + " →"));
  holder.append(pager);
  holder.append(h("p", {}, h("a", { href: apiUrl(`/api/v1/tables/${encodeURIComponent(name)}/rows`, { format: "csv", limit: PAGE_ROWS, offset }), id: "rows-csv" }, t("These rows as CSV"))));
}

export async function render(main, ctx) {
  const name = ctx.arg;
  main.append(h("h1", {}, t("Data")), status());
  const [tables, sources] = await Promise.all([getJSON("/api/v1/tables"), getAll("/api/v1/sources")]);
  if (ctx.stale()) return;
  main.querySelector(".status").remove();
  const list = tables.items;
  main.append(h("p", { class: "muted" }, t("Every figure kasip shows comes from these tables, each row naming its source. Analysts change them by uploading a CSV file.")));

  if (name) {
    main.append(h("p", { class: "back" }, h("a", { href: hashFor("data") }, "← " + t("All tables"))));
    const holder = h("section", { id: "table-detail" }, status());
    main.append(holder);
    await tableDetail(holder, name, ctx);
    if (ctx.stale()) return;
  }

  main.append(h("h2", { id: "upload-title" }, t("Upload a CSV file")));
  main.append(
    ...uploadForm(list, name || "population", (tb) => {
      // the rows changed: show the table uploaded to
      if (tb === name) {
        const holder = document.getElementById("table-detail");
        if (holder) tableDetail(holder, name, ctx).catch((e) => holder.replaceChildren(failure(e)));
      }
    })
  );

  main.append(h("h2", {}, t("Tables")));
  main.append(
    sortableTable(
      t("Tables"),
      [
        { key: "name", label: t("Table"), render: (tb) => h("a", { href: hashFor("data", tb.name) }, tb.name) },
        { key: "summary", label: t("What it holds") },
        { key: "columns", label: t("Columns"), num: true },
      ],
      list,
      { id: "tables" }
    )
  );

  main.append(h("h2", {}, t("Sources")));
  const kinds = ["", ...new Set(sources.map((s) => s.kind))];
  const want = ctx.query.get("kind") || "";
  const srcHolder = h("div");
  function drawSources(kind) {
    const shown = kind ? sources.filter((s) => s.kind === kind) : sources;
    srcHolder.replaceChildren(
      sortableTable(
        t("Sources"),
        [
          { key: "id", label: t("Source") },
          { key: "kind", label: t("Kind"), render: (s) => h("span", { class: "kind k-" + s.kind }, kindLabel(s.kind)) },
          { key: "title", label: t("Title"), render: (s) => (s.url && /^https?:\/\//.test(s.url) ? h("a", { href: s.url, rel: "noopener" }, s.title) : s.title) },
          { key: "publisher", label: t("Publisher") },
        ],
        shown,
        { id: "sources", limit: 50 }
      )
    );
  }
  main.append(
    h(
      "div",
      { class: "controls" },
      select("src-kind", t("Kind"), kinds.map((k) => ({ value: k, label: k ? kindLabel(k) : t("all kinds") })), want, (k) => {
        ctx.setQuery({ kind: k });
        drawSources(k);
      })
    ),
    srcHolder
  );
  drawSources(want);
}
