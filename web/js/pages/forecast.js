// pages/forecast.js - pick a run (a scenario), a region and an occupation
// group: the fan chart of demand, openings against new supply with their
// P10-P50-P90 bands, and the parts of openings and of new supply a year
// (GET /api/v1/forecasts/{id}/series); a second run beside the first
// compares two scenarios on the same scales.  Below, the back-test: a
// stored run of the same engine from a past base year, its projection of
// the country's employment beside what was observed and the two naive
// forecasts (GET /api/v1/backtests, /api/v1/backtests/{id}).
import { getJSON, getAll } from "../api.js";
import { t, num, signed } from "../i18n.js";
import { h, select, failure, sortableTable } from "../dom.js";
import { makeChart, bandOption, componentsOption, PALETTE } from "../charts.js";
import { hashFor } from "../route.js";
import { runLabel } from "./map.js";

export const id = "forecast";
export const nav = true;
export const title = () => t("Forecast");

const PARTS = () => [
  { key: "expansion", label: t("Growth of employment"), stack: "o", color: "#1f5f8b" },
  { key: "exits", label: t("Exits (retirement, death, other)"), stack: "o", color: "#5a8fb8" },
  { key: "transfers", label: t("Transfers to other occupations"), stack: "o", color: "#9dbfd9" },
  { key: "graduates", label: t("Graduates"), stack: "s", color: "#d9822b" },
  { key: "migrants", label: t("Migrants"), stack: "s", color: "#e8a866" },
  { key: "transfers_in", label: t("Transfers from other occupations"), stack: "s", color: "#f2c99b" },
  { key: "reserve", label: t("Labour reserve drawn into work"), stack: "s", color: "#8a6d3b" },
];

function extent(series, keys) {
  let lo = 0, hi = 0;
  for (const s of series)
    for (const r of s.items)
      for (const k of keys) {
        const v = r[k];
        if (v === null || v === undefined) continue;
        if (v > hi) hi = v;
        if (v < lo) lo = v;
      }
  return { lo, hi };
}

// Stacked bars reach the sum of their positive parts: the scale for both runs.
function stackExtent(series, parts) {
  let lo = 0, hi = 0;
  for (const s of series)
    for (const r of s.items)
      for (const st of ["o", "s"]) {
        let pos = 0, neg = 0;
        for (const p of parts.filter((x) => x.stack === st)) {
          const v = r[p.key] || 0;
          if (v > 0) pos += v;
          else neg += v;
        }
        hi = Math.max(hi, pos);
        lo = Math.min(lo, neg);
      }
  return { lo, hi };
}

function nice(v) {
  if (!v) return 0;
  const e = Math.pow(10, Math.floor(Math.log10(Math.abs(v))));
  return Math.sign(v) * Math.ceil(Math.abs(v) / e * 2) * e / 2;
}

export async function render(main, ctx) {
  main.append(h("h1", {}, t("Forecast")));
  const runs = await ctx.runs();
  const runA = await ctx.chosenRun();
  if (!runA) {
    main.append(h("p", { class: "status" }, t("There is no forecast yet: run 'kasip forecast' or make run.")));
    return;
  }
  const q = ctx.query;
  const bId = Number(q.get("compare")) || 0;
  const runB = runs.find((r) => r.id === bId && r.id !== runA.id) || null;
  const region = q.get("region") || "KZ";
  const under = q.get("under") || "";
  const [regions, g1, g2] = await Promise.all([getAll("/api/v1/regions"), getAll("/api/v1/occupations", { level: 1 }), getAll("/api/v1/occupations", { level: 2 })]);
  if (ctx.stale()) return;
  const go = (changes) => (location.hash = hashFor("forecast", "", { run: runA.id, compare: runB ? runB.id : "", region, under, ...changes }));
  const groups = [...g1, ...g2].sort((a, b) => a.code.localeCompare(b.code));
  const groupOptions = [{ value: "", label: t("All occupations") }, ...groups.map((g) => ({ value: g.code, label: (g.level === 2 ? "\u00a0\u00a0" : "") + g.code + " " + g.title }))];
  if (under && !groups.some((g) => g.code === under)) {
    // a finer group (from a link): its own title
    const self = (await getJSON("/api/v1/occupations", { under, limit: 1 })).items.find((o) => o.code === under);
    groupOptions.push({ value: under, label: under + (self ? " " + self.title : "") });
  }
  main.append(
    h(
      "form",
      { class: "controls", onsubmit: (e) => e.preventDefault() },
      select("fc-run", t("Forecast"), runs.map((r) => ({ value: r.id, label: runLabel(r) })), runA.id, (v) => go({ run: v })),
      select("fc-compare", t("Compare with"), [{ value: "", label: t("nothing") }, ...runs.filter((r) => r.id !== runA.id).map((r) => ({ value: r.id, label: runLabel(r) }))], runB ? runB.id : "", (v) => go({ compare: v })),
      select("fc-region", t("Region"), [{ value: "KZ", label: t("Kazakhstan") }, ...regions.map((r) => ({ value: r.kato, label: r.name }))], region, (v) => go({ region: v })),
      select("fc-under", t("Occupation group"), groupOptions, under, (v) => go({ under: v }))
    )
  );
  const chosen = [runA, runB].filter(Boolean);
  const series = await Promise.all(chosen.map((r) => getJSON(`/api/v1/forecasts/${r.id}/series`, { region, under })));
  if (ctx.stale()) return;
  const parts = PARTS();
  const flows = series.map((s) => ({ ...s, items: s.items.filter((y) => y.year > s.base_year) }));
  const dMax = nice(extent(series, ["demand", "demand_p90"]).hi);
  const fMax = nice(extent(flows, ["openings", "openings_p90", "new_supply", "new_supply_p90"]).hi);
  const cExt = stackExtent(flows, parts);
  const cols = h("div", { class: chosen.length > 1 ? "sidebyside" : "single" });
  main.append(cols);
  if (series.some((s) => s.items.every((y) => y.demand_p10 === null)))
    main.append(h("p", { class: "note" }, t("Bands are drawn where the run has draws and for all occupations or one group of the run's level; quantiles of several groups do not add up.")));
  series.forEach((s, i) => {
    const run = chosen[i];
    const col = h("section", { class: "col", id: "fc-col-" + i, "aria-label": runLabel(run) });
    cols.append(col);
    col.append(h("h2", {}, runLabel(run)));
    const dEl = h("div", { class: "chart", id: `fc-demand-${i}`, role: "img", "aria-label": t("Demand (employment) with P10–P90") });
    const fEl = h("div", { class: "chart", id: `fc-flows-${i}`, role: "img", "aria-label": t("Openings and new supply a year, with P10–P90") });
    const cEl = h("div", { class: "chart", id: `fc-parts-${i}`, role: "img", "aria-label": t("The parts of openings and of new supply a year") });
    col.append(h("h3", {}, t("Demand (employment) with P10–P90")), dEl, h("h3", {}, t("Openings and new supply a year")), fEl, h("h3", {}, t("The parts of openings and of new supply a year")), cEl);
    const dc = makeChart(dEl);
    if (dc) dc.setOption(bandOption(s.items, [{ key: "demand", lo: "demand_p10", hi: "demand_p90", label: t("Employment"), color: PALETTE.demand }], { yName: t("persons"), yMax: dMax }));
    const fc = makeChart(fEl);
    if (fc)
      fc.setOption(
        bandOption(
          flows[i].items,
          [
            { key: "openings", lo: "openings_p10", hi: "openings_p90", label: t("Openings"), color: PALETTE.demand },
            { key: "new_supply", lo: "new_supply_p10", hi: "new_supply_p90", label: t("New supply"), color: PALETTE.supply },
          ],
          { yName: t("persons"), yMax: fMax }
        )
      );
    const cc = makeChart(cEl);
    if (cc) cc.setOption(componentsOption(flows[i].items, parts, { yName: t("persons"), yMin: cExt.lo < 0 ? nice(cExt.lo) : 0, yMax: nice(cExt.hi) }));
    col.append(
      h(
        "details",
        {},
        h("summary", {}, t("The figures as a table")),
        sortableTable(
          runLabel(run),
          [
            { key: "year", label: t("Year") },
            { key: "demand", label: t("Employment"), num: true, render: (y) => num(y.demand) },
            { key: "openings", label: t("Openings"), num: true, render: (y) => num(y.openings) },
            ...parts.map((p) => ({ key: p.key, label: p.label, num: true, render: (y) => num(y[p.key]) })),
            { key: "new_supply", label: t("New supply"), num: true, render: (y) => num(y.new_supply) },
            { key: "balance", label: t("Balance"), num: true, render: (y) => signed(y.balance) },
          ],
          flows[i].items,
          { id: `fc-table-${i}` }
        )
      )
    );
  });
  await backtest(main, ctx);
}

// The errors are a few percent of the level: the axis fits the lines
// instead of starting at zero.
function withScale(o) {
  o.yAxis.scale = true;
  return o;
}

// The back-test: choose a stored run (newest first), draw the country's
// employment projected by the model and by the naive forecasts against the
// observed series, and its MAPE over the regions by year.
async function backtest(main, ctx) {
  const sec = h("section", { id: "fc-backtest", "aria-labelledby": "fc-backtest-h" });
  main.append(sec);
  sec.append(h("h2", { id: "fc-backtest-h" }, t("Back-test: projected against observed")));
  const list = (await getJSON("/api/v1/backtests", { limit: 50 })).items;
  if (ctx.stale()) return;
  if (!list.length) {
    sec.append(h("p", { class: "status" }, t("No back-test is stored yet: run 'kasip backtest --base 2016 --to 2025' (docs/backtest.md).")));
    return;
  }
  const want = Number(ctx.query.get("backtest")) || 0;
  const bt = list.find((b) => b.id === want) || list[0];
  const label = (b) => t("base %d, to %d (run %d)", b.base_year, b.to_year, b.id);
  sec.append(
    h(
      "form",
      { class: "controls", onsubmit: (e) => e.preventDefault() },
      select("fc-bt-run", t("Back-test"), list.map((b) => ({ value: b.id, label: label(b) })), bt.id, (v) => {
        const q = new URLSearchParams(ctx.query);
        q.set("backtest", v);
        location.hash = hashFor("forecast", "", Object.fromEntries(q));
      })
    )
  );
  const [rows, sum] = await Promise.all([
    getJSON(`/api/v1/backtests/${bt.id}`, { dimension: "region", borders: "national", limit: 1000 }),
    getJSON(`/api/v1/backtests/${bt.id}`, { table: "summary", dimension: "region", borders: "current", limit: 1000 }),
  ]);
  if (ctx.stale()) return;
  // thousand persons, one row a year for the country (code KZ)
  const years = rows.items.filter((r) => r.code === "KZ").sort((a, b) => a.year - b.year);
  const el = h("div", { class: "chart", id: "fc-bt-chart", role: "img", "aria-label": t("The country's employment: projected and observed") });
  sec.append(h("h3", {}, t("The country's employment: projected and observed")), el);
  const c = makeChart(el);
  if (c)
    c.setOption(
      withScale(bandOption(
        years,
        [
          { key: "observed", label: t("Observed"), color: "#222222" },
          { key: "model", label: t("kasip's model"), color: PALETTE.demand },
          { key: "nochange", label: t("No change"), color: "#8c8c8c" },
          { key: "trend", label: t("Linear trend"), color: PALETTE.supply },
        ],
        { yName: t("thousand persons") }
      ))
    );
  const byYear = new Map();
  for (const m of sum.items) {
    const y = byYear.get(m.year) || { year: m.year };
    y[m.method] = m.mape;
    byYear.set(m.year, y);
  }
  const mape = [...byYear.values()].sort((a, b) => a.year - b.year);
  sec.append(
    sortableTable(
      t("Mean absolute percentage error over the regions"),
      [
        { key: "year", label: t("Year") },
        { key: "model", label: t("kasip's model"), num: true, render: (y) => (y.model == null ? "–" : num(y.model, 1) + " %") },
        { key: "nochange", label: t("No change"), num: true, render: (y) => (y.nochange == null ? "–" : num(y.nochange, 1) + " %") },
        { key: "trend", label: t("Linear trend"), num: true, render: (y) => (y.trend == null ? "–" : num(y.trend, 1) + " %") },
      ],
      mape,
      { id: "fc-bt-mape" }
    ),
    h("p", { class: "note" }, t("What the errors mean for a reader of the atlas: docs/backtest.md."))
  );
}
