// pages/matching.js - dual-training placement: the stored runs
// (GET /api/v1/match-runs), a run's statistics
// (GET /api/v1/match-runs/{id}), every place's seats, fill and cutoff
// (GET /api/v1/match-runs/{id}/cutoffs) and each region's places, fill and
// lowest and highest cutoff (the same with ?by=region), and one student's explanation:
// the place they got and why not each place they ranked above it
// (GET /api/v1/match-runs/{id}/students/{student}, as `kasip match explain`).
// Every figure is the library's; the page only lays them out.
import { getJSON, getAll } from "../api.js";
import { t, num, pct } from "../i18n.js";
import { h, status, select, sortableTable } from "../dom.js";
import { hashFor } from "../route.js";

export const id = "matching";
export const nav = true;
export const title = () => t("Placement");

// One reason a student did not get a place they ranked higher, in words.
function reasonText(w) {
  switch (w.reason) {
    case "full": {
      let s = w.cutoff !== null && w.cutoff !== undefined ? t("full with %s students ranked above you; its cutoff score was %s", num(w.above), num(w.cutoff, 1)) : t("full with %s students ranked above you", num(w.above));
      if (w.tie) s += "; " + t("you had the cutoff score and lost on the lottery");
      return s;
    }
    case "no_seats":
      return t("the place offers no seats");
    case "not_acceptable":
      return t("the place's ranking does not include you");
    case "distance":
      return t("%s km away: farther than the distance rule allows", num(w.km));
    case "region":
      return t("in another region, and the run allowed places in the student's own region only");
    default:
      return t("none of these reasons: the result is not stable");
  }
}

function runLabel(r) {
  return t("Run %d of %s (seed %d)", r.id, r.created.replace("T", " ").replace("Z", " UTC"), r.seed);
}

function rulesText(r) {
  const side = r.proposing === "enterprises" ? t("enterprises propose") : t("students propose");
  const geo = r.max_km ? t("at most %s km", num(r.max_km)) : r.same_region ? t("same region only") : t("no distance rule");
  return `${side} · ${geo}`;
}

async function explain(holder, run, student, names) {
  holder.replaceChildren(status());
  let ex;
  try {
    ex = await getJSON(`/api/v1/match-runs/${run.id}/students/${encodeURIComponent(student)}`);
  } catch (e) {
    holder.replaceChildren(h("p", { class: "error", role: "alert", id: "explain-error" }, e.status === 404 ? t("No student %s in this run.", student) : t("The server could not answer: %s", e.message)));
    return;
  }
  const region = (k) => names.get(k) || k || "–";
  const out = [];
  out.push(h("h3", { id: "explain-title" }, t("Student %s", ex.student)));
  out.push(
    h(
      "dl",
      { class: "figs" },
      h("div", { class: "fig" }, h("dt", {}, t("Score")), h("dd", {}, num(ex.score, 1))),
      h("div", { class: "fig" }, h("dt", {}, t("College")), h("dd", {}, ex.college || "–")),
      h("div", { class: "fig" }, h("dt", {}, t("Specialty")), h("dd", {}, ex.specialty || "–"))
    )
  );
  out.push(
    h("p", { id: "explain-summary", class: "summary" }, ex.place ? t("Placed at %s, their choice number %d.", ex.place, ex.choice) : ex.choices.length ? t("Not placed: none of their %d choices took them.", ex.choices.length) : t("Not placed: they ranked no place."))
  );
  if (ex.why.length) {
    out.push(h("p", {}, ex.place ? t("Why not a place ranked higher:") : t("Why not each place they ranked:")));
    out.push(
      h(
        "ol",
        { id: "explain-why", class: "why" },
        ex.why.map((w) => h("li", { value: w.choice, "data-reason": w.reason }, h("b", {}, w.place), " ", h("span", { class: "muted" }, `${w.enterprise} · ${region(w.region)}`), h("br"), reasonText(w)))
      )
    );
  } else if (ex.place) {
    out.push(h("p", { id: "explain-first" }, t("They got their first choice.")));
  }
  if (ex.choices.length)
    out.push(
      sortableTable(
        t("Their choices"),
        [
          { key: "choice", label: t("Choice"), num: true },
          { key: "place", label: t("Place") },
          { key: "enterprise", label: t("Enterprise") },
          { key: "region", label: t("Region"), render: (c) => region(c.region) },
          { key: "placed", label: t("Outcome"), render: (c) => (c.placed ? h("b", {}, t("placed here")) : c.choice < (ex.choice || Infinity) ? t("not taken") : t("below the place they got")) },
        ],
        ex.choices,
        { id: "explain-choices" }
      )
    );
  if (ex.choices.length) out[out.length - 1].classList.add("narrow");
  holder.replaceChildren(...out);
}

export async function render(main, ctx) {
  main.append(h("h1", {}, t("Placement of dual-training students")), status());
  const [runs, regions] = await Promise.all([getJSON("/api/v1/match-runs", { limit: 100 }), getAll("/api/v1/regions")]);
  if (ctx.stale()) return;
  main.querySelector(".status").remove();
  if (!runs.items.length) {
    main.append(h("p", { class: "status", id: "no-runs" }, t("There is no placement run yet: import students, places and choices and run 'kasip match run'.")));
    return;
  }
  // KATO code -> the region's name in the page's language.
  const names = new Map(regions.map((r) => [r.kato, r.name]));
  const region = (k) => names.get(k) || k || t("unknown");
  const want = Number(ctx.query.get("run") || ctx.arg);
  const run = runs.items.find((r) => r.id === want) || runs.items[0];
  main.append(
    h(
      "div",
      { class: "controls" },
      select("match-run", t("Placement run"), runs.items.map((r) => ({ value: r.id, label: runLabel(r) })), run.id, (v) => (location.hash = hashFor("matching", "", { run: v })))
    )
  );
  const holder = h("div", {}, status());
  main.append(holder);
  const [info, cutoffs, byRegion] = await Promise.all([getJSON(`/api/v1/match-runs/${run.id}`), getAll(`/api/v1/match-runs/${run.id}/cutoffs`), getAll(`/api/v1/match-runs/${run.id}/cutoffs`, { by: "region" })]);
  if (ctx.stale()) return;
  holder.remove();
  const st = info.stats;
  main.append(h("p", { class: "muted" }, rulesText(info)));
  main.append(
    h(
      "dl",
      { class: "figs", id: "match-stats" },
      h("div", { class: "fig" }, h("dt", {}, t("Students")), h("dd", { "data-key": "students" }, num(st.students))),
      h("div", { class: "fig" }, h("dt", {}, t("Placed")), h("dd", { "data-key": "matched" }, num(st.matched), h("small", {}, " ", pct(st.share_matched)))),
      h("div", { class: "fig" }, h("dt", {}, t("Mean choice received")), h("dd", { "data-key": "mean_choice" }, num(st.mean_choice, 2))),
      h("div", { class: "fig" }, h("dt", {}, t("Seats")), h("dd", { "data-key": "capacity" }, num(st.capacity))),
      h("div", { class: "fig" }, h("dt", {}, t("Seats filled")), h("dd", { "data-key": "filled" }, num(st.filled))),
      h("div", { class: "fig" }, h("dt", {}, t("Ranked no place")), h("dd", { "data-key": "empty_lists" }, num(st.empty_lists)))
    )
  );
  const hist = st.rank_hist.map((n, i) => ({ choice: i, students: n }));
  main.append(
    sortableTable(
      t("Students by the choice they received"),
      [
        { key: "choice", label: t("Choice"), num: true, render: (r) => (r.choice ? String(r.choice) : t("not placed")) },
        { key: "students", label: t("Students"), num: true, render: (r) => num(r.students) },
      ],
      hist,
      { id: "match-hist" }
    )
  );
  main.lastElementChild.classList.add("narrow");

  main.append(h("h2", {}, t("Student's explanation")));
  const exHolder = h("div", { id: "explain", "aria-live": "polite" });
  const input = h("input", { type: "search", id: "match-student", name: "student", autocomplete: "off", value: ctx.query.get("student") || "", "aria-describedby": "match-student-hint" });
  const form = h(
    "form",
    {
      class: "search",
      id: "explain-form",
      onsubmit: (e) => {
        e.preventDefault();
        const s = input.value.trim();
        ctx.setQuery({ run: run.id, student: s });
        if (s) explain(exHolder, run, s, names);
      },
    },
    h("label", { for: "match-student" }, t("Student's id")),
    h("div", { class: "row" }, input, h("button", { type: "submit" }, t("Explain"))),
    h("p", { id: "match-student-hint", class: "muted" }, t("Why the student was placed where they were, and not at a place they ranked higher."))
  );
  main.append(form, exHolder);
  if (input.value.trim()) await explain(exHolder, run, input.value.trim(), names);
  if (ctx.stale()) return;

  main.append(h("h2", {}, t("Cutoffs by region")));
  main.append(
    sortableTable(
      t("Each region's places, seats and fill, and the lowest and highest cutoff score of its full places"),
      [
        { key: "region", label: t("Region"), sort: (c) => region(c.region), render: (c) => region(c.region) },
        { key: "places", label: t("Places"), num: true, render: (c) => num(c.places) },
        { key: "full", label: t("Full places"), num: true, render: (c) => num(c.full) },
        { key: "seats", label: t("Seats"), num: true, render: (c) => num(c.seats) },
        { key: "filled", label: t("Seats filled"), num: true, render: (c) => num(c.filled) },
        { key: "lowest_cutoff", label: t("Lowest cutoff"), num: true, render: (c) => (c.lowest_cutoff === null ? t("no cutoff") : num(c.lowest_cutoff, 1)) },
        { key: "highest_cutoff", label: t("Highest cutoff"), num: true, render: (c) => (c.highest_cutoff === null ? t("no cutoff") : num(c.highest_cutoff, 1)) },
      ],
      byRegion.filter((c) => c.places > 0),
      { id: "match-regions" }
    )
  );

  main.append(h("h2", {}, t("Cutoffs by place")));
  main.append(
    sortableTable(
      t("Every place's seats, fill and cutoff score (the score of the last student admitted when the place is full)"),
      [
        { key: "place", label: t("Place") },
        { key: "enterprise", label: t("Enterprise") },
        { key: "specialty", label: t("Specialty") },
        { key: "region", label: t("Region"), sort: (c) => region(c.region), render: (c) => region(c.region) },
        { key: "seats", label: t("Seats"), num: true, render: (c) => num(c.seats) },
        { key: "filled", label: t("Seats filled"), num: true, render: (c) => num(c.filled) },
        { key: "cutoff", label: t("Cutoff score"), num: true, render: (c) => (c.cutoff === null ? t("no cutoff") : num(c.cutoff, 1)) },
        { key: "last_admitted", label: t("Last admitted") },
      ],
      cutoffs,
      { id: "match-cutoffs", limit: 100 }
    )
  );
}
