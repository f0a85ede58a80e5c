// pages/occupation.js - for young people and career counsellors: search an
// occupation by name in Kazakh, Russian or English (GET /api/v1/occupations?q=),
// then its card (GET /api/v1/occupations/{code}/card): the outlook in every
// region on a map and in a table, the specialties and colleges that train
// for it.  Laid out in one column on a phone.
import { getJSON, getAll } from "../api.js";
import { t, num, pct, signed } from "../i18n.js";
import { h, status, failure, sortableTable } from "../dom.js";
import { makeChart, registerRegions, choroplethOption } from "../charts.js";
import { hashFor } from "../route.js";

export const id = "occupation";
export const nav = true;
export const title = () => t("Occupations");

let outlines = null;

function searchForm(ctx, initial) {
  const input = h("input", { type: "search", id: "occ-q", name: "q", autocomplete: "off", value: initial || "", "aria-describedby": "occ-hint", "aria-controls": "occ-results" });
  const results = h("ul", { id: "occ-results", class: "results", "aria-live": "polite" });
  let timer = null, ctl = null;
  async function search() {
    const q = input.value.trim();
    ctx.setQuery({ q });
    if (ctl) ctl.abort();
    if (q.length < 2) {
      results.replaceChildren();
      return;
    }
    ctl = new AbortController();
    try {
      const answer = await getJSON("/api/v1/occupations", { q, limit: 30 }, ctl.signal);
      results.replaceChildren(
        ...answer.items.map((o) => h("li", {}, h("a", { href: hashFor("occupation", o.code, { level: o.level, q }) }, o.title), " ", h("span", { class: "muted" }, `ISCO ${o.code}`)))
      );
      if (!answer.items.length) results.replaceChildren(h("li", { class: "muted" }, t("Nothing found")));
    } catch (e) {
      if (e.name !== "AbortError") results.replaceChildren(h("li", {}, failure(e)));
    }
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  const form = h(
    "form",
    { class: "search", role: "search", onsubmit: (e) => { e.preventDefault(); clearTimeout(timer); search(); } },
    h("label", { for: "occ-q" }, t("Search an occupation")),
    h("div", { class: "row" }, input, h("button", { type: "submit" }, t("Search"))),
    h("p", { id: "occ-hint", class: "muted" }, t("A part of its name in Kazakh, Russian or English, e.g. дәрігер, электрик, teacher"))
  );
  if (initial) search();
  return [form, results];
}

export async function render(main, ctx) {
  const code = ctx.arg;
  if (!code) {
    main.append(h("h1", {}, t("Occupations")), ...searchForm(ctx, ctx.query.get("q")));
    main.querySelector("#occ-q").focus();
    return;
  }
  const run = await ctx.chosenRun();
  if (!run) {
    main.append(h("p", { class: "status" }, t("There is no forecast yet: run 'kasip forecast' or make run.")));
    return;
  }
  main.append(h("p", { class: "back" }, h("a", { href: hashFor("occupation", "", { q: ctx.query.get("q") }) }, "← " + t("Search an occupation"))));
  const holder = h("div", {}, status());
  main.append(holder);
  const region = ctx.query.get("region") || "";
  const [card, regions] = await Promise.all([
    getJSON(`/api/v1/occupations/${encodeURIComponent(code)}/card`, { run: run.id, level: ctx.query.get("level"), region }),
    getAll("/api/v1/regions"),
    outlines ? Promise.resolve(outlines) : getJSON("/api/v1/boundaries").then((g) => (outlines = g)),
  ]);
  if (ctx.stale()) return;
  holder.remove();
  const o = card.occupations[0];
  const national = card.places.find((p) => p.area.region === "000000000");
  const places = card.places.filter((p) => p.area.region !== "000000000");
  document.title = o.title + " · kasip";
  main.append(h("h1", {}, o.title), h("p", { class: "muted" }, `ISCO-08 ${o.code} · ${card.atlas.name} · ${t("forecast %d to %d", card.run.base_year, card.run.target_year)}`));
  main.append(
    h(
      "dl",
      { class: "figs" },
      h("div", { class: "fig" }, h("dt", {}, t("Outlook")), h("dd", {}, h("span", { class: "outlook o" + o.outlook }, `${o.outlook} / 5 · ${o.outlook_label}`))),
      h("div", { class: "fig" }, h("dt", {}, t("Class")), h("dd", {}, o.class_label, o.class_probability ? h("small", {}, " ", t("in %s of the draws", pct(o.class_probability[o.class], 0))) : null)),
      h("div", { class: "fig" }, h("dt", {}, t("Employment")), h("dd", {}, `${num(o.emp_base)} → ${num(o.emp_target)}`)),
      h("div", { class: "fig" }, h("dt", {}, t("Openings")), h("dd", {}, num(o.openings))),
      h("div", { class: "fig" }, h("dt", {}, t("New supply")), h("dd", {}, num(o.new_supply))),
      h("div", { class: "fig" }, h("dt", {}, t("Shortage ratio")), h("dd", {}, pct(o.shortage_ratio)))
    )
  );

  main.append(h("p", {}, h("a", { href: hashFor("forecast", "", { run: run.id, under: o.code, region: region || "KZ" }), id: "occ-forecast" }, t("Its forecast year by year"))));
  main.append(h("h2", {}, t("Outlook in every region")));
  const chartEl = h("div", { class: "chart map", id: "occ-map", role: "img", "aria-label": t("Map of the regions coloured by this occupation's shortage ratio; the table below gives the same figures") });
  main.append(chartEl);
  registerRegions(outlines);
  const chart = makeChart(chartEl);
  if (chart) {
    chart.setOption(
      choroplethOption(
        places.map((p) => ({ kato: p.area.region, name: p.area.name, value: p.occupation.shortage_ratio, extra: p.occupation })),
        { title: t("Shortage ratio"), tooltip: (d) => `<b>${d.label}</b><br>${t("Shortage ratio")}: ${pct(d.value)}<br>${t("Outlook")}: ${d.extra.outlook} · ${d.extra.outlook_label}<br>${t("Balance")}: ${signed(d.extra.balance)}` }
      )
    );
    chart.on("click", (p) => {
      if (p.data) location.hash = hashFor("region", p.data.name, { run: run.id });
    });
  }
  main.append(
    sortableTable(
      t("Regions"),
      [
        { key: "name", label: t("Region"), sort: (p) => p.area.name, render: (p) => h("a", { href: hashFor("region", p.area.region, { run: run.id }) }, p.area.name) },
        { key: "outlook", label: t("Outlook"), num: true, sort: (p) => p.occupation.outlook, render: (p) => h("span", { class: "outlook o" + p.occupation.outlook }, `${p.occupation.outlook} · ${p.occupation.outlook_label}`) },
        { key: "ratio", label: t("Shortage ratio"), num: true, sort: (p) => p.occupation.shortage_ratio, render: (p) => pct(p.occupation.shortage_ratio) },
        { key: "balance", label: t("Balance"), num: true, sort: (p) => p.occupation.balance, render: (p) => signed(p.occupation.balance) },
        { key: "emp", label: t("Employment %d", card.run.target_year), num: true, sort: (p) => p.occupation.emp_target, render: (p) => num(p.occupation.emp_target) },
      ],
      places,
      { id: "occ-regions" }
    )
  );
  if (national) main.append(h("p", { class: "note" }, t("Kazakhstan: shortage ratio %s, outlook %s.", pct(national.occupation.shortage_ratio), national.occupation.outlook_label)));

  main.append(h("h2", {}, t("Where to learn it")));
  const paths = o.training || [];
  if (!paths.length) main.append(h("p", { class: "muted" }, t("The database links no specialty to this occupation.")));
  else
    main.append(
      h(
        "ul",
        { class: "paths" },
        paths.map((p) =>
          h(
            "li",
            {},
            h("b", {}, p.title),
            " ",
            h("span", { class: "muted" }, `${p.level === "tvet" ? t("college (TVET)") : t("university")} · ${t("%s of its graduates go into this occupation", pct(p.weight, 0))}`),
            p.colleges && p.colleges.length ? h("ul", {}, p.colleges.map((c) => h("li", {}, c.name, " ", h("span", { class: "muted" }, `${c.specialty_title || c.specialty}${c.state_places !== null ? " · " + t("%s state-funded places", num(c.state_places)) : ""}`)))) : null
          )
        )
      )
    );
  if (card.notes && card.notes.length) main.append(h("ul", { class: "notes" }, card.notes.map((n) => h("li", {}, n))));
}
