// pages/region.js - one region (or the country): its Atlas of Professions
// (GET /api/v1/regions/{code}/atlas): key figures, openings against new
// supply a year with the P10-P90 band, the population pyramid now and in
// the target year (GET /api/v1/forecasts/{id}/pyramid), the top shortages,
// the classes as sortable tables with outlook and probability, and the
// printable page and workbook.
import { getJSON, getAll, apiUrl } from "../api.js";
import { t, num, pct, signed } from "../i18n.js";
import { h, select, failure, sortableTable } from "../dom.js";
import { makeChart, bandOption, pyramidOption, PALETTE } from "../charts.js";
import { hashFor } from "../route.js";
import { runLabel } from "./map.js";

export const id = "region";
export const nav = true;
export const title = () => t("Region");

const CLASSES = ["in_demand", "emerging", "stable", "declining"];

function classTitle(cls) {
  return { in_demand: t("In demand"), emerging: t("Emerging"), stable: t("Stable"), declining: t("Declining") }[cls];
}

function fig(label, value, note) {
  return h("div", { class: "fig" }, h("dt", {}, label), h("dd", {}, value, note ? h("small", {}, " ", note) : null));
}

export async function render(main, ctx) {
  const code = ctx.arg || "KZ";
  const run = await ctx.chosenRun();
  if (!run) {
    main.append(h("h1", {}, t("Region")), h("p", { class: "status" }, t("There is no forecast yet: run 'kasip forecast' or make run.")));
    return;
  }
  const [atlas, regions, runs] = await Promise.all([getJSON(`/api/v1/regions/${encodeURIComponent(code)}/atlas`, { run: run.id }), getAll("/api/v1/regions"), ctx.runs()]);
  if (ctx.stale()) return;
  const a = atlas.atlas, k = atlas.key, base = atlas.run.base_year, target = atlas.run.target_year;
  document.title = a.name + " · kasip";
  main.append(h("h1", {}, a.name));
  main.append(
    h(
      "form",
      { class: "controls", onsubmit: (e) => e.preventDefault() },
      select("region-code", t("Region"), [{ value: "KZ", label: t("Kazakhstan") }, ...regions.map((r) => ({ value: r.kato, label: r.name }))], a.national ? "KZ" : a.region, (v) => (location.hash = hashFor("region", v, { run: run.id }))),
      select("region-run", t("Forecast"), runs.map((r) => ({ value: r.id, label: runLabel(r) })), run.id, (v) => (location.hash = hashFor("region", code, { run: v })))
    )
  );
  const q = { run: run.id };
  main.append(
    h(
      "p",
      { class: "downloads" },
      h("a", { href: apiUrl(`/api/v1/regions/${encodeURIComponent(code)}/atlas`, { ...q, format: "html" }), target: "_blank", rel: "noopener" }, t("Printable atlas (HTML)")),
      " · ",
      h("a", { href: apiUrl(`/api/v1/regions/${encodeURIComponent(code)}/atlas`, { ...q, format: "xlsx" }), download: "" }, t("Workbook (XLSX)")),
      " · ",
      h("a", { href: apiUrl(`/api/v1/regions/${encodeURIComponent(code)}/atlas`, { ...q, format: "csv" }), download: "" }, "CSV"),
      " · ",
      h("a", { href: hashFor("forecast", "", { run: run.id, region: a.national ? "KZ" : a.region }) }, t("Forecast year by year"))
    )
  );

  // key figures
  main.append(
    h("h2", {}, t("Key figures, %d to %d", base, target)),
    h(
      "dl",
      { class: "figs" },
      fig(t("Population"), `${num(k.population_base)} → ${num(k.population_target)}`),
      fig(t("Employment"), `${num(k.emp_base)} → ${num(k.emp_target)}`, pct(k.growth_pct)),
      fig(t("Openings"), num(k.openings)),
      fig(t("New supply"), num(k.new_supply)),
      fig(t("Balance"), signed(k.balance), k.balance_p10 !== null ? `P10–P90: ${signed(k.balance_p10)} … ${signed(k.balance_p90)}` : null),
      fig(t("Shortage ratio"), pct(k.shortage_ratio))
    )
  );

  // openings against new supply a year
  const flowEl = h("div", { class: "chart", id: "region-flows", role: "img", "aria-label": t("Openings and new supply a year, with P10–P90") });
  main.append(h("h2", {}, t("Openings and new supply a year")), h("p", { class: "lead" }, t("Openings are the jobs to fill (growth, exits, transfers); new supply the entrants (graduates, migrants, the reserve, transfers). The band is P10–P90 of the draws.")), flowEl);
  const years = atlas.years.filter((y) => y.year > base);
  const flow = makeChart(flowEl);
  if (flow)
    flow.setOption(
      bandOption(
        years,
        [
          { key: "openings", lo: "openings_p10", hi: "openings_p90", label: t("Openings"), color: PALETTE.demand },
          { key: "new_supply", lo: "new_supply_p10", hi: "new_supply_p90", label: t("New supply"), color: PALETTE.supply },
        ],
        { yName: t("persons") }
      )
    );
  const flowTable = sortableTable(
    t("Openings and new supply a year"),
    [
      { key: "year", label: t("Year") },
      { key: "openings", label: t("Openings"), num: true, render: (y) => num(y.openings) },
      { key: "new_supply", label: t("New supply"), num: true, render: (y) => num(y.new_supply) },
      { key: "balance", label: t("Balance"), num: true, render: (y) => signed(y.balance) },
      { key: "demand", label: t("Employment"), num: true, render: (y) => num(y.demand) },
    ],
    years
  );
  main.append(h("details", {}, h("summary", {}, t("The figures as a table")), flowTable));

  // the pyramid
  const pyrEl = h("div", { class: "chart tall", id: "region-pyramid", role: "img", "aria-label": t("Population by age and sex, %d and %d", base, target) });
  main.append(h("h2", {}, t("Population by age and sex, %d and %d", base, target)), pyrEl);
  const pyrRegion = a.national ? "KZ" : a.region;
  Promise.all([getJSON(`/api/v1/forecasts/${run.id}/pyramid`, { region: pyrRegion, year: base }), getJSON(`/api/v1/forecasts/${run.id}/pyramid`, { region: pyrRegion, year: target })])
    .then(([pb, pt]) => {
      if (ctx.stale()) return;
      const c = makeChart(pyrEl);
      if (c) c.setOption(pyramidOption(pb, pt));
    })
    .catch((e) => pyrEl.replaceChildren(failure(e)));

  // top shortages
  const byCode = Object.fromEntries(atlas.occupations.map((o) => [o.code, o]));
  const occLink = (o) => h("a", { href: hashFor("occupation", o.code, { run: run.id, region: a.national ? "" : a.region }) }, o.title);
  main.append(h("h2", {}, t("Largest shortages")));
  main.append(
    h(
      "ol",
      { class: "toplist" },
      atlas.top_shortages.map((c) => byCode[c]).filter(Boolean).map((o) => h("li", {}, occLink(o), " ", h("span", { class: "muted" }, `${o.code} · ${t("shortage %s", num(-o.balance))} · ${pct(o.shortage_ratio)}`)))
    )
  );

  // the classes
  main.append(h("h2", {}, t("Occupations by outlook")));
  for (const cls of CLASSES) {
    const rows = (atlas.ranked[cls] || []).map((c) => byCode[c]).filter(Boolean);
    if (!rows.length) continue;
    const cols = [
      { key: "title", label: t("Occupation"), render: (o) => [occLink(o), " ", h("small", { class: "muted" }, o.code)] },
      { key: "emp_target", label: t("Employment %d", target), num: true, render: (o) => num(o.emp_target) },
      { key: "openings", label: t("Openings"), num: true, render: (o) => num(o.openings) },
      { key: "balance", label: t("Balance"), num: true, render: (o) => signed(o.balance) },
      { key: "shortage_ratio", label: t("Shortage ratio"), num: true, render: (o) => pct(o.shortage_ratio) },
      { key: "outlook", label: t("Outlook"), num: true, render: (o) => h("span", { class: "outlook o" + o.outlook, title: o.outlook_label }, `${o.outlook} · ${o.outlook_label}`) },
      { key: "prob", label: t("Probability"), num: true, sort: (o) => (o.class_probability ? o.class_probability[cls] : null), render: (o) => (o.class_probability ? pct(o.class_probability[cls], 0) : "–") },
    ];
    main.append(h("section", { class: "cls", id: "class-" + cls }, sortableTable(`${classTitle(cls)} (${rows.length})`, cols, rows, { limit: 15, id: "table-" + cls })));
  }
  if (atlas.notes && atlas.notes.length) main.append(h("h2", {}, t("Notes")), h("ul", { class: "notes" }, atlas.notes.map((n) => h("li", {}, n))));
}
