// plans.js - what the two plan pages (orders, migration) share: the stored
// plans of a kind, the form that submits a plan as a job with an API key
// and waits for it, a plan's table followed page by page, the plan's key
// figures and its binding constraints with their duals.  Every figure is the
// API's (GET /api/v1/plans/{id}); nothing is computed here.
import { getJSON, apiUrl, ApiError } from "./api.js";
import { t, num, signed } from "./i18n.js";
import { h, select, sortableTable } from "./dom.js";
import { hashFor } from "./route.js";
import { makeChart } from "./charts.js";

// The key typed in the form, kept for this visit only (never stored).
let apiKey = "";

export async function listPlans(kind) {
  const answer = await getJSON("/api/v1/plans", { kind, limit: 100 });
  return answer.items;
}

// One plan: {plan, items} with every row of `table` (following "next").
export async function loadPlan(id, table, max = 20000) {
  let page = await getJSON(`/api/v1/plans/${id}`, { table, limit: 1000 });
  const plan = page.plan;
  const items = page.items.slice();
  while (page.next && items.length < max) {
    page = await getJSON(page.next);
    items.push(...page.items);
  }
  return { plan, items };
}

// A code with its name from the API ("tvet-07 — Engineering"); the code alone
// when the database names none.
export function codeName(code, name) {
  return name ? code + " — " + name : code;
}

// A plan's status (the API's code: optimal, or feasible when a MIP stopped
// on its time limit) in the page's language.
export function statusLabel(s) {
  const labels = { optimal: t("optimal"), feasible: t("feasible") };
  return labels[s] || s;
}

export function planLabel(p) {
  const where = p.region_name ? " · " + p.region_name : "";
  return t("Plan %d, run %d, %d", p.id, p.run, p.year) + where + " · " + p.created;
}

// The plan chooser: a select of the stored plans of kind (newest first).
export function planSelect(idAttr, pageId, plans, chosen) {
  return select(
    idAttr,
    t("Plan"),
    plans.map((p) => ({ value: p.id, label: planLabel(p) })),
    chosen ? chosen.id : "",
    (v) => (location.hash = hashFor(pageId, "", { plan: v }))
  );
}

function field(id, label, input, hint) {
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("small", { class: "muted" }, hint) : null);
}

async function post(path, body) {
  let r;
  try {
    r = await fetch(apiUrl(path), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: "Bearer " + apiKey },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(e.message, 0, "network");
  }
  let answer = null;
  try {
    answer = await r.json();
  } catch (e) {
    answer = null;
  }
  if (!r.ok) {
    const err = answer && answer.error ? answer.error : {};
    const where = err.line ? ` (${err.file || ""}:${err.line}:${err.column || 0})` : "";
    throw new ApiError((err.message || r.statusText) + (err.detail ? ": " + err.detail : "") + where, r.status, err.code || "http");
  }
  return answer;
}

async function job(id) {
  const r = await fetch(apiUrl(`/api/v1/jobs/${id}`), { headers: { Accept: "application/json", Authorization: "Bearer " + apiKey } });
  const answer = await r.json();
  if (!r.ok) throw new ApiError(answer.error ? answer.error.message : r.statusText, r.status, "http");
  return answer;
}

// The form that submits a plan: kind "orders" or "migration", fields
// [{key, label, type: "number"|"text"|"select", options, hint}]; on success
// the page moves to the new plan.
export function submitForm(kind, pageId, fields, ctx) {
  const pre = "sub-" + kind + "-";
  const keyInput = h("input", { id: pre + "key", type: "password", autocomplete: "off", value: apiKey, required: true });
  const inputs = {};
  const parts = [field(pre + "key", t("API key (analyst or admin)"), keyInput)];
  for (const f of fields) {
    let input;
    if (f.type === "select") {
      input = h("select", { id: pre + f.key }, ...f.options.map((o) => h("option", { value: o.value }, o.label)));
    } else {
      input = h("input", { id: pre + f.key, type: f.type === "number" ? "number" : "text", step: "any", min: f.min, placeholder: f.placeholder || "" });
    }
    inputs[f.key] = input;
    parts.push(field(pre + f.key, f.label, input, f.hint));
  }
  const params = h("textarea", { id: pre + "params", rows: 3, placeholder: "change = 0.5" });
  parts.push(field(pre + "params", t("More parameters (key = value lines)"), params));
  const statusLine = h("p", { class: "status", role: "status", id: pre + "status" });
  const button = h("button", { type: "submit", class: "primary" }, t("Run the plan"));
  const form = h("form", { class: "controls submit", id: pre + "form" }, ...parts, h("div", { class: "field" }, button));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    apiKey = keyInput.value.trim();
    const body = {};
    for (const f of fields) {
      const v = inputs[f.key].value.trim();
      if (v === "") continue;
      body[f.key] = f.type === "number" ? Number(v) : v;
    }
    if (params.value.trim()) body.params = params.value + "\n";
    button.disabled = true;
    statusLine.className = "status";
    statusLine.textContent = t("Sending…");
    try {
      const queued = await post(`/api/v1/plans/${kind}`, body);
      for (;;) {
        const j = await job(queued.job);
        statusLine.textContent = t("Job %d: %s", j.id, j.state);
        if (j.state === "done") {
          location.hash = hashFor(pageId, "", { plan: j.result.plan });
          return;
        }
        if (j.state === "failed") throw new ApiError(j.error || j.state, 0, "job");
        if (ctx.stale()) return;
        await new Promise((res) => setTimeout(res, 400));
      }
    } catch (err) {
      statusLine.className = "error";
      statusLine.setAttribute("role", "alert");
      statusLine.textContent = t("The plan was not made: %s", err.message);
    } finally {
      button.disabled = false;
    }
  });
  return h("details", { class: "submitbox", open: ctx.query.get("new") ? true : null }, h("summary", {}, t("Run a new plan")), form, statusLine);
}

// The key figures of a plan as a definition list: [[label, text], ...].
export function figures(list) {
  return h("dl", { class: "figs", id: "plan-figs" }, ...list.map(([k, v]) => h("div", { class: "fig" }, h("dt", {}, k), h("dd", {}, v))));
}

export function money(v) {
  if (v === null || v === undefined) return "–";
  return t("%s million tenge", num(v / 1e6, 1));
}

// What a constraint's `value` means, by the plan's kind and the row's kind.
function valueUnit(kind, c) {
  if (kind === "orders") {
    if (c.kind === "budget") return t("shortage closed per million tenge");
    if (c.kind === "working-share") return t("shortage closed per unit of the share");
    return t("shortage closed per place");
  }
  if (c.kind === "quota") return t("KZT saved per person of quota");
  if (c.kind === "budget") return t("KZT saved per million tenge");
  if (c.kind === "min-movers") return t("KZT per mover of the minimum");
  return "";
}

const KIND_LABELS = () => ({
  quota: t("quota"),
  budget: t("budget"),
  places: t("places"),
  capacity: t("capacity"),
  change: t("change from last year"),
  "working-share": t("working share"),
  willing: t("willing to move"),
  "min-movers": t("minimum of movers"),
});

// The binding constraints with their duals (plan.binding); specialtyName
// (orders) names the specialty at the end of a region/college/specialty key.
export function bindingTable(kind, plan, regionName, id, specialtyName) {
  const labels = KIND_LABELS();
  // the plan-wide rows (places, budget, share, minimum) before the per-cell ones
  const order = ["places", "budget", "working-share", "min-movers", "quota", "willing", "capacity", "change"];
  const rank = (k) => (order.includes(k) ? order.indexOf(k) : order.length);
  const rows = (plan.binding || [])
    .map((c) => ({ ...c, kindLabel: labels[c.kind] || c.kind, where: keyLabel(c.key, regionName, specialtyName) }))
    .sort((a, b) => rank(a.kind) - rank(b.kind));
  if (!rows.length) return h("p", { class: "note", id }, t("No constraint binds: the plan is limited by the shortage itself."));
  const fmt = (v) => num(v, Math.abs(v) >= 100 ? 0 : 3);
  return sortableTable(
    t("Binding constraints"),
    [
      { key: "kindLabel", label: t("Constraint"), render: (r) => h("span", {}, r.kindLabel, r.where ? h("small", { class: "muted" }, " · " + r.where) : null) },
      { key: "bound", label: t("Bound"), num: true, render: (r) => (r.kind === "budget" ? money(r.bound) : num(r.bound, r.bound < 10 ? 2 : 0)) },
      { key: "used", label: t("Used"), num: true, render: (r) => (r.kind === "budget" ? money(r.used) : num(r.used, r.used < 10 ? 2 : 0)) },
      { key: "dual", label: t("Dual"), num: true, render: (r) => (r.dual === null ? "–" : num(Math.abs(r.dual) < 5e-5 ? 0 : r.dual, Math.abs(r.dual) >= 100 ? 0 : 4)) },
      { key: "value", label: t("Worth of one more unit"), num: true, render: (r) => (r.value === null ? "–" : fmt(r.value)) },
      { key: "unit", label: t("Unit"), sort: (r) => valueUnit(kind, r), render: (r) => (r.value === null ? "–" : valueUnit(kind, r)) },
    ],
    rows,
    { id, limit: 25 }
  );
}

// A constraint's key: a region's code, or region/college/specialty (or
// region/specialty) with the specialty's name.
function keyLabel(key, regionName, specialtyName) {
  if (!key) return "";
  const parts = key.split("/");
  parts[0] = regionName(parts[0]) || parts[0];
  if (parts.length > 1 && specialtyName) parts[parts.length - 1] = codeName(parts[parts.length - 1], specialtyName(parts[parts.length - 1]));
  return parts.join(" / ");
}

// Horizontal bars: before and after for each row (the API's figures).
export function gapChart(holder, idAttr, rows) {
  const el = h("div", { class: "chart tall", id: idAttr, role: "img", "aria-label": t("Shortage before and after the plan; the table below gives the same figures") });
  holder.append(el);
  const chart = makeChart(el);
  if (!chart) return;
  const list = rows.slice().reverse();
  chart.setOption({
    aria: { enabled: true },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: (v) => signed(v) },
    legend: { top: 0, data: [t("Before"), t("After")] },
    grid: { left: 10, right: 30, top: 30, bottom: 20, containLabel: true },
    xAxis: { type: "value", axisLabel: { formatter: (v) => num(v) } },
    yAxis: { type: "category", data: list.map((r) => r.label), axisLabel: { width: 220, overflow: "truncate" } },
    series: [
      { name: t("Before"), type: "bar", data: list.map((r) => r.before), itemStyle: { color: "#8c8c8c" } },
      { name: t("After"), type: "bar", data: list.map((r) => r.after), itemStyle: { color: "#b3261e" } },
    ],
  });
}
