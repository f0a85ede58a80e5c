// pages/orders.js - the state order of college places (GET /api/v1/plans
// ?kind=orders, /plans/{id}): a stored plan or a new one run as a job with
// an API key; its places by region x college x specialty as a table and as
// bars by specialty (stacked by region: ECharts adds the stacks up, the page
// does not), the shortage before and after by region or occupation (the
// plan's gaps), and the binding constraints with their duals.
import { getAll } from "../api.js";
import { t, num, signed } from "../i18n.js";
import { h, select, status, sortableTable } from "../dom.js";
import { makeChart } from "../charts.js";
import { hashFor } from "../route.js";
import { listPlans, loadPlan, planSelect, submitForm, figures, money, bindingTable, gapChart, codeName, statusLabel } from "../plans.js";

export const id = "orders";
export const nav = true;
export const title = () => t("State order");

export async function render(main, ctx) {
  main.append(h("h1", {}, t("State order of college places")));
  const [plans, regions] = await Promise.all([listPlans("orders"), getAll("/api/v1/regions")]);
  if (ctx.stale()) return;
  const want = Number(ctx.query.get("plan"));
  const plan0 = plans.find((p) => p.id === want) || plans[0] || null;
  const controls = h("form", { class: "controls", onsubmit: (e) => e.preventDefault() });
  if (plan0) controls.append(planSelect("orders-plan", id, plans, plan0));
  main.append(controls);
  main.append(
    submitForm(
      "orders",
      id,
      [
        { key: "region", label: t("Region"), type: "select", options: [{ value: "", label: t("All regions") }, ...regions.map((r) => ({ value: r.kato, label: r.name }))] },
        { key: "places", label: t("Places (default: last year's)"), type: "number", min: 0 },
        { key: "budget", label: t("Budget, tenge a year (0: none)"), type: "number", min: 0 },
        { key: "working_share", label: t("Share of working specialties, at least"), type: "number", min: 0, hint: t("0 to 1") },
      ],
      ctx
    )
  );
  if (!plan0) {
    main.append(h("p", { class: "status" }, t("There is no state-order plan yet: run one above, or with kasip plan orders.")));
    return;
  }
  const holder = h("div", {}, status());
  main.append(holder);
  const [rowsAnswer, gapsAnswer] = await Promise.all([loadPlan(plan0.id, "rows"), loadPlan(plan0.id, "gaps")]);
  if (ctx.stale()) return;
  holder.replaceChildren();
  const plan = rowsAnswer.plan;
  const rows = rowsAnswer.items;
  const gaps = gapsAnswer.items;
  const regionName = (kato) => (regions.find((r) => r.kato === kato) || {}).name;
  // the specialties' names come with the rows (the API's, in the page's language)
  const specNames = new Map(rows.map((r) => [r.specialty, r.specialty_name]));
  const specialtyName = (code) => specNames.get(code) || "";

  holder.append(
    h("p", { class: "lead" }, t("Places for the intake of %d from forecast run %d%s; status %s.", plan.year, plan.run, plan.region_name ? " (" + plan.region_name + ")" : "", statusLabel(plan.status))),
    figures([
      [t("Places"), num(plan.total)],
      [t("Funding a year"), money(plan.cost)],
      [t("Shortage before"), num(plan.gap_before)],
      [t("Shortage after"), num(plan.gap_after)],
      [t("Model"), t("%d columns, %d rows", plan.model.columns, plan.model.rows)],
      [t("Solve time"), t("%s s", num(plan.seconds, 2))],
    ])
  );

  // Bars: places by specialty, one stacked series per region.
  holder.append(h("h2", {}, t("Places by specialty")));
  const barsEl = h("div", { class: "chart tall", id: "orders-bars", role: "img", "aria-label": t("Places by specialty, stacked by region; the table below gives the same figures") });
  holder.append(barsEl);
  const specs = [...new Set(rows.map((r) => r.specialty))].sort();
  const regs = [...new Set(rows.map((r) => r.region))];
  const chart = makeChart(barsEl);
  if (chart) {
    // One stacked series per region; where a region has several colleges
    // teaching a specialty, its k-th college goes in its k-th series (same
    // name and colour), so ECharts stacks the API's rows and nothing is summed here.
    const palette = ["#1f5f8b", "#d9822b", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41", "#9e9d24", "#3949ab", "#ad1457"];
    const cells = new Map();
    for (const r of rows) {
      const k = r.region + "\u0000" + r.specialty;
      if (!cells.has(k)) cells.set(k, []);
      cells.get(k).push(r);
    }
    const series = [];
    regs.forEach((g, gi) => {
      const depth = Math.max(...specs.map((s) => (cells.get(g + "\u0000" + s) || []).length));
      for (let k = 0; k < depth; k++) {
        series.push({
          name: regionName(g) || g,
          type: "bar",
          stack: "places",
          color: palette[gi % palette.length],
          emphasis: { focus: "series" },
          data: specs.map((s) => {
            const c = (cells.get(g + "\u0000" + s) || [])[k];
            return c ? { value: c.places, college: c.college } : null;
          }),
        });
      }
    });
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: "item", formatter: (p) => `<b>${codeName(p.name, specialtyName(p.name))}</b><br>${p.seriesName}${p.data.college ? " · " + p.data.college : ""}: ${num(p.value)}` },
      legend: { type: "scroll", top: 0 },
      grid: { left: 60, right: 20, top: 60, bottom: 70 },
      xAxis: { type: "category", data: specs, axisLabel: { rotate: 45 } },
      yAxis: { type: "value", name: t("places"), axisLabel: { formatter: (v) => num(v) } },
      series,
    });
  }

  // The plan as a table.
  holder.append(
    sortableTable(
      t("Places by region, college and specialty"),
      [
        { key: "region_name", label: t("Region") },
        { key: "college", label: t("College"), render: (r) => r.college || "–" },
        { key: "specialty", label: t("Specialty"), render: (r) => codeName(r.specialty, r.specialty_name) },
        { key: "places", label: t("Places"), num: true, render: (r) => num(r.places) },
        { key: "last_year", label: t("Last year"), num: true, render: (r) => num(r.last_year) },
        { key: "cost_per_place", label: t("Cost of a place a year, tenge"), num: true, render: (r) => num(r.cost_per_place) },
        { key: "marginal_value", label: t("Shortage closed by one more place"), num: true, render: (r) => num(r.marginal_value, 3) },
      ],
      rows,
      { id: "orders-table", limit: 40 }
    )
  );

  // Shortage before and after, by region (the regions' totals) or by occupation.
  holder.append(h("h2", {}, t("Shortage before and after the plan")));
  const by = ctx.query.get("by") === "occupation" ? "occupation" : "region";
  holder.append(
    h(
      "form",
      { class: "controls", onsubmit: (e) => e.preventDefault() },
      select("orders-by", t("By"), [{ value: "region", label: t("Region") }, { value: "occupation", label: t("Region and occupation") }], by, (v) => (location.hash = hashFor(id, "", { plan: plan.id, by: v })))
    )
  );
  const gapRows = gaps
    .filter((g) => (by === "region" ? g.occupation === "" : g.occupation !== ""))
    .map((g) => ({ ...g, label: by === "region" ? g.region_name : g.region_name + " · " + codeName(g.occupation, g.occupation_name) }))
    .sort((a, b) => b.before - a.before);
  gapChart(holder, "orders-gaps", gapRows.slice(0, 25));
  holder.append(
    sortableTable(
      by === "region" ? t("Shortage by region, persons") : t("Shortage by region and occupation, persons"),
      [
        { key: "label", label: by === "region" ? t("Region") : t("Region and occupation") },
        { key: "before", label: t("Before"), num: true, render: (r) => signed(r.before) },
        { key: "after", label: t("After"), num: true, render: (r) => signed(r.after) },
      ],
      gapRows,
      { id: "orders-gaps-table", limit: 25 }
    )
  );

  holder.append(h("h2", {}, t("Constraints that bind, with their duals")));
  holder.append(h("p", { class: "note" }, t("A dual is what one more unit of the constraint is worth: for the places, the shortage one more place closes; for the budget, the shortage one more million tenge closes.")));
  holder.append(bindingTable("orders", plan, regionName, "orders-binding", specialtyName));
}
