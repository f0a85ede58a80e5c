// pages/map.js - Kazakhstan's regions coloured by the shortage ratio of a
// year, an occupation group and a forecast run (GET /api/v1/forecasts/{id}/map);
// hover gives the figure, a click (or the table below) opens the region.
import { getJSON, getAll } from "../api.js";
import { t, num, pct, signed } from "../i18n.js";
import { h, select, status, failure, sortableTable } from "../dom.js";
import { makeChart, registerRegions, choroplethOption } from "../charts.js";
import { hashFor } from "../route.js";

export const id = "map";
export const nav = true;
export const title = () => t("Map");

let outlines = null;

export function runLabel(r) {
  return t("%s, run %d (%d–%d)", r.scenario, r.id, r.base_year, r.target_year) + (r.draws ? " · " + t("%d draws", r.draws) : "");
}

export async function render(main, ctx) {
  main.append(h("h1", {}, t("Shortage of workers by region")));
  const run = await ctx.chosenRun();
  if (!run) {
    main.append(h("p", { class: "status" }, t("There is no forecast yet: run 'kasip forecast' or make run.")));
    return;
  }
  const runs = await ctx.runs();
  const groups = await getAll("/api/v1/occupations", { level: 1 });
  const year = Math.min(run.target_year, Math.max(run.base_year + 1, Number(ctx.query.get("year")) || run.target_year));
  const under = ctx.query.get("group") || "";

  const years = [];
  for (let y = run.base_year + 1; y <= run.target_year; y++) years.push({ value: y, label: String(y) });
  const controls = h(
    "form",
    { class: "controls", onsubmit: (e) => e.preventDefault() },
    select("map-run", t("Forecast"), runs.map((r) => ({ value: r.id, label: runLabel(r) })), run.id, (v) => (location.hash = hashFor("map", "", { run: v, year, group: under }))),
    select("map-year", t("Year"), years, year, (v) => (location.hash = hashFor("map", "", { run: run.id, year: v, group: under }))),
    select("map-group", t("Occupation group"), [{ value: "", label: t("All occupations") }, ...groups.map((g) => ({ value: g.code, label: g.code + " " + g.title }))], under, (v) => (location.hash = hashFor("map", "", { run: run.id, year, group: v })))
  );
  main.append(controls);
  main.append(h("p", { class: "lead" }, t("The shortage ratio is the cumulative shortage from %d to %d (openings not filled by new supply) over the demand in %d; negative: a surplus.", run.base_year + 1, year, year)));

  const chartEl = h("div", { class: "chart map", id: "map-chart", role: "img", "aria-label": t("Map of the regions coloured by the shortage ratio; the table below gives the same figures") });
  const tableHolder = h("div", {}, status());
  main.append(chartEl, tableHolder);

  const [areas, regions] = await Promise.all([
    getJSON(`/api/v1/forecasts/${run.id}/map`, { year, under }),
    getAll("/api/v1/regions"),
    outlines ? Promise.resolve(outlines) : getJSON("/api/v1/boundaries").then((g) => (outlines = g)),
  ]);
  if (ctx.stale()) return;
  registerRegions(outlines);
  const byKato = Object.fromEntries(regions.map((r) => [r.kato, r]));
  const rows = areas.items
    .filter((a) => byKato[a.region])
    .map((a) => ({ kato: a.region, name: byKato[a.region].name, iso: byKato[a.region].iso, ratio: a.shortage_ratio, balance: a.balance, demand: a.demand, openings: a.openings, new_supply: a.new_supply }));
  const country = areas.items.find((a) => !byKato[a.region]);

  const chart = makeChart(chartEl);
  if (chart) {
    chart.setOption(
      choroplethOption(
        rows.map((r) => ({ kato: r.kato, name: r.name, value: r.ratio, extra: r })),
        {
          title: t("Shortage ratio"),
          tooltip: (d) => `<b>${d.label}</b><br>${t("Shortage ratio")}: ${pct(d.value)}<br>${t("Balance")}: ${signed(d.extra.balance)}<br>${t("Demand in %d", year)}: ${num(d.extra.demand)}`,
        }
      )
    );
    chart.on("click", (p) => {
      if (p.data) location.hash = hashFor("region", p.data.name, { run: run.id });
    });
    ctx.chart = chart;
    chartEl.__chart = chart;
  }
  const table = sortableTable(
    t("Regions, %d", year),
    [
      { key: "name", label: t("Region"), render: (r) => h("a", { href: hashFor("region", r.kato, { run: run.id }) }, r.name) },
      { key: "ratio", label: t("Shortage ratio"), num: true, render: (r) => pct(r.ratio) },
      { key: "balance", label: t("Balance"), num: true, render: (r) => signed(r.balance) },
      { key: "openings", label: t("Openings"), num: true, render: (r) => num(r.openings) },
      { key: "new_supply", label: t("New supply"), num: true, render: (r) => num(r.new_supply) },
      { key: "demand", label: t("Demand in %d", year), num: true, render: (r) => num(r.demand) },
    ],
    rows.sort((a, b) => (b.ratio ?? -1e9) - (a.ratio ?? -1e9)),
    { id: "map-table" }
  );
  tableHolder.replaceChildren(table);
  if (country) tableHolder.append(h("p", { class: "note" }, t("Kazakhstan: shortage ratio %s, balance %s.", pct(country.shortage_ratio), signed(country.balance))));
}
