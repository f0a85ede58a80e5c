// pages/migration.js - the internal migration plan (GET /api/v1/plans
// ?kind=migration, /plans/{id}): a stored plan or a new one run as a job
// with an API key; the origin-destination flows drawn on the region map as
// lines between the regional centres (GET /api/v1/regions: lon, lat), as
// wide as their movers (od_matrix: the API sums the occupations); the cost,
// the quotas and the budget that bind with their duals, the flows table and
// the shortage before and after by region.
import { getJSON, getAll } from "../api.js";
import { t, num, signed } from "../i18n.js";
import { h, status, sortableTable } from "../dom.js";
import { makeChart, registerRegions } from "../charts.js";
import { listPlans, loadPlan, planSelect, submitForm, figures, money, bindingTable, gapChart, codeName, statusLabel } from "../plans.js";

export const id = "migration";
export const nav = true;
export const title = () => t("Migration");

let outlines = null;

export async function render(main, ctx) {
  main.append(h("h1", {}, t("Internal migration plan")));
  const [plans, regions] = await Promise.all([listPlans("migration"), getAll("/api/v1/regions")]);
  if (ctx.stale()) return;
  const want = Number(ctx.query.get("plan"));
  const plan0 = plans.find((p) => p.id === want) || plans[0] || null;
  const controls = h("form", { class: "controls", onsubmit: (e) => e.preventDefault() });
  if (plan0) controls.append(planSelect("migration-plan", id, plans, plan0));
  main.append(controls);
  main.append(
    submitForm(
      "migration",
      id,
      [
        { key: "year", label: t("Year of the gaps"), type: "number", min: 2000 },
        { key: "budget", label: t("Budget of the support, tenge (0: none)"), type: "number", min: 0 },
        { key: "willing", label: t("Share of a surplus willing to move"), type: "number", min: 0, hint: t("0 to 1") },
      ],
      ctx
    )
  );
  if (!plan0) {
    main.append(h("p", { class: "status" }, t("There is no migration plan yet: run one above, or with kasip plan migration.")));
    return;
  }
  const holder = h("div", {}, status());
  main.append(holder);
  const [flowsAnswer, gapsAnswer] = await Promise.all([
    loadPlan(plan0.id, "rows"),
    loadPlan(plan0.id, "gaps"),
    outlines ? Promise.resolve(outlines) : getJSON("/api/v1/boundaries").then((g) => (outlines = g)),
  ]);
  if (ctx.stale()) return;
  holder.replaceChildren();
  registerRegions(outlines);
  const plan = flowsAnswer.plan;
  const flows = flowsAnswer.items;
  const byKato = Object.fromEntries(regions.map((r) => [r.kato, r]));
  const regionName = (kato) => (byKato[kato] || {}).name;

  holder.append(
    h("p", { class: "lead" }, t("Movers between regions to fill the shortage of %d, from forecast run %d; status %s.", plan.year, plan.run, statusLabel(plan.status))),
    figures([
      [t("Movers"), num(plan.total, 1)],
      [t("Cost of the moves"), money(plan.cost)],
      [t("Of it, the programme's support"), money(plan.support)],
      [t("Shortage before"), num(plan.gap_before)],
      [t("Shortage after"), num(plan.gap_after)],
      [t("Solve time"), t("%s s", num(plan.seconds, 2))],
    ])
  );

  // The flow map: the OD matrix as lines between regional centres.
  holder.append(h("h2", {}, t("Flows between regions")));
  const mapEl = h("div", { class: "chart map", id: "migration-map", role: "img", "aria-label": t("Map of the flows between regions, as wide as their movers; the table below gives the same figures") });
  holder.append(mapEl);
  const od = plan.od_matrix || { regions: [], movers: [] };
  const lines = [];
  let most = 0;
  od.movers.forEach((row, i) => row.forEach((m) => (most = Math.max(most, m))));
  od.movers.forEach((row, i) =>
    row.forEach((m, j) => {
      const a = byKato[od.regions[i].code], b = byKato[od.regions[j].code];
      if (m > 0 && a && b)
        lines.push({
          name: od.regions[i].name + " → " + od.regions[j].name,
          value: m,
          coords: [[a.lon, a.lat], [b.lon, b.lat]],
          lineStyle: { width: 1 + (9 * m) / most }, // layout: width by movers
        });
    })
  );
  const sends = new Set(od.regions.filter((r, i) => od.movers[i].some((m) => m > 0)).map((r) => r.code));
  const centres = regions.map((r) => ({ name: r.name, value: [r.lon, r.lat], sends: sends.has(r.kato) }));
  const chart = makeChart(mapEl);
  if (chart) {
    chart.setOption({
      aria: { enabled: true, label: { description: t("Flows between regions") } },
      tooltip: {
        trigger: "item",
        formatter: (p) => (p.seriesType === "lines" ? `<b>${p.name}</b><br>${t("Movers")}: ${num(p.value, 1)}` : `<b>${p.name}</b>`),
      },
      legend: { top: 0, left: "center", data: [t("Movers"), t("Regional centres")] },
      geo: {
        map: "kz",
        nameProperty: "kato",
        roam: false,
        top: 30,
        bottom: 10,
        left: 10,
        right: 10,
        silent: true,
        itemStyle: { areaColor: "#eef1f4", borderColor: "#8a939c", borderWidth: 0.6 },
      },
      series: [
        {
          name: t("Movers"),
          type: "lines",
          coordinateSystem: "geo",
          zlevel: 1,
          symbol: ["none", "arrow"],
          symbolSize: 9,
          lineStyle: { color: "#b3261e", opacity: 0.75, curveness: 0.2 },
          emphasis: { lineStyle: { color: "#ff6f00", opacity: 1 } },
          data: lines,
        },
        {
          name: t("Regional centres"),
          type: "scatter",
          coordinateSystem: "geo",
          zlevel: 2,
          symbolSize: 7,
          itemStyle: { color: "#1f5f8b" },
          label: { show: true, position: "right", formatter: (p) => p.name, fontSize: 10, color: "#333" },
          labelLayout: { hideOverlap: true },
          data: centres,
        },
      ],
    });
  }

  holder.append(
    sortableTable(
      t("Flows by occupation, largest first"),
      [
        { key: "route", label: t("From → to"), sort: (r) => r.from_name + r.to_name },
        { key: "occupation", label: t("Occupation"), sort: (r) => r.occupation, render: (r) => codeName(r.occupation, r.occupation_name) },
        { key: "movers", label: t("Movers"), num: true, render: (r) => num(r.movers, 1) },
        { key: "persons", label: t("Persons with families"), num: true, render: (r) => num(r.persons, 1) },
        { key: "cost_per_mover", label: t("Cost per mover, tenge"), num: true, render: (r) => num(r.cost_per_mover) },
        { key: "support_per_mover", label: t("Support per mover, tenge"), num: true, render: (r) => num(r.support_per_mover) },
        { key: "km", label: t("km"), num: true, render: (r) => num(r.km) },
      ],
      flows.map((f) => ({ ...f, route: f.from_name + " → " + f.to_name })),
      { id: "migration-table", limit: 40 }
    )
  );

  holder.append(h("h2", {}, t("Constraints that bind, with their duals")));
  holder.append(h("p", { class: "note" }, t("A dual is what one more unit of the constraint is worth: for a region's quota, the tenge saved by one more person it may take; for the budget, by one more million tenge of support.")));
  holder.append(bindingTable("migration", plan, regionName, "migration-binding"));

  holder.append(h("h2", {}, t("Shortage before and after the plan")));
  const gapRows = gapsAnswer.items
    .filter((g) => g.occupation === "")
    .map((g) => ({ ...g, label: g.region_name }))
    .sort((a, b) => b.before - a.before);
  gapChart(holder, "migration-gaps", gapRows);
  holder.append(
    sortableTable(
      t("Shortage by region, persons"),
      [
        { key: "label", label: t("Region") },
        { key: "before", label: t("Before"), num: true, render: (r) => signed(r.before) },
        { key: "after", label: t("After"), num: true, render: (r) => signed(r.after) },
      ],
      gapRows,
      { id: "migration-gaps-table" }
    )
  );
}
