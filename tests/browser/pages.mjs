// pages.mjs BASE OUT CHROMIUM SRC: the data page and the matching page in
// headless Chromium (playwright-core from SRC/node_modules) against the
// kasip serve at BASE (tests/browser/run.sh starts it and gives an admin
// key in $KASIP_TEST_KEY).  No network.
//   data: upload a population file whose last row is bad and see the error
//   at its line and column with the table unchanged; upload a good one and
//   see the count; the table's columns with their ranges, its rows.
//   matching: import a small placement (tests/api/data/match-*.csv) through
//   the API, run it as a job, then see its statistics, its cutoffs and one
//   student's explanation as the API gives them; switch the language.
// Screenshots go to OUT.  Prints "ok"/"FAIL" lines and "N passed, N failed".
import { readFile } from "node:fs/promises";
import path from "node:path";
import { base, out, src, key, check, withPage } from "./lib.mjs";

const data = path.join(src, "tests/api/data");

async function api(p) {
  const r = await fetch(base + p);
  return r.json();
}
async function text(p) {
  const r = await fetch(base + p);
  return r.text();
}
async function post(p, body, type) {
  const r = await fetch(base + p, { method: "POST", headers: { Authorization: "Bearer " + key, "Content-Type": type }, body });
  return { status: r.status, body: await r.json() };
}
// The whole population table, as the API exports it (to see it unchanged).
async function population() {
  let all = "", offset = 0;
  for (;;) {
    const r = await fetch(`${base}/api/v1/tables/population/rows?format=csv&limit=1000&offset=${offset}`);
    const body = await r.text();
    all += body;
    const lines = body.split("\n").filter(Boolean).length - 1;
    if (lines < 1000) return all;
    offset += lines;
  }
}

await withPage(async ({ page, settle }) => {
  check(key.length > 0, "run.sh gives an admin key");

  // ---- the data page: tables, a table's columns and rows, sources ----
  await page.goto(base + "/#/data/population");
  await settle();
  check((await page.textContent("h1")) === "Data", "the data page opens in English", await page.textContent("h1"));
  const tables = await api("/api/v1/tables");
  const tableRows = await page.$$eval("#tables tbody tr", (trs) => trs.length);
  check(tableRows === tables.items.length, "it lists every table", [tableRows, tables.items.length]);
  const def = await api("/api/v1/tables/population");
  const popCol = def.columns.find((c) => c.name === "population");
  const colRow = await page.$$eval("#columns tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const shownPop = colRow.find((r) => r[0] === "population");
  check(shownPop && popCol.range && shownPop[2] === popCol.range, "the population column shows its range", shownPop);
  const firstRows = await api("/api/v1/tables/population/rows?limit=50");
  const rowsShown = await page.$$eval("#rows tbody tr", (trs) => trs.length);
  check(rowsShown === firstRows.items.length && rowsShown > 0, "the first page of its rows", [rowsShown, firstRows.items.length]);
  const sources = await api("/api/v1/sources?limit=1000");
  const kinds = await page.$$eval("#sources tbody tr td:nth-child(2) .kind", (s) => s.map((x) => x.className));
  check(kinds.length === Math.min(50, sources.items.length) && kinds.some((k) => k.includes("k-official")), "the sources with their kinds", kinds.slice(0, 3));
  await page.selectOption("#src-kind", "assumption");
  const onlyAssumptions = await page.$$eval("#sources tbody tr td:nth-child(2) .kind", (s) => s.map((x) => x.className));
  check(onlyAssumptions.length === sources.items.filter((s) => s.kind === "assumption").length && onlyAssumptions.every((k) => k === "kind k-assumption"), "the kind filter keeps the assumptions", onlyAssumptions.length);
  if (rowsShown && (await page.$("#rows-next"))) {
    await page.click("#rows-next");
    await page.waitForFunction(() => location.hash.includes("offset=50"));
    await settle();
    const second = await api("/api/v1/tables/population/rows?limit=50&offset=50");
    const firstCell = await page.textContent("#rows tbody tr td");
    check(firstCell === String(Object.values(second.items[0])[0]), "Next shows the next page of rows", firstCell);
  }

  const csvHref = await page.getAttribute("#rows-csv", "href");
  const csv = await text(csvHref);
  check(csv.startsWith("region,year,measure") && csv.trim().split("\n").length === 51, "the rows shown are one click away as CSV", csv.slice(0, 60));

  // ---- a bad upload: the error at its line and column, nothing changed ----
  const before = await population();
  await page.goto(base + "/#/data/population");
  await settle();
  await page.fill("#up-key", key);
  await page.selectOption("#up-table", "population");
  await page.setInputFiles("#up-file", path.join(data, "pop-bad-last.csv"));
  await page.click("#up-send");
  await page.waitForSelector("#import-result");
  const where = await page.$$eval("#import-result .where > div", (ds) => Object.fromEntries(ds.map((d) => [d.dataset.key, d.querySelector("dd").textContent])));
  check(where.line === "5" && where.column === "6", "the bad file's error is at line 5, column 6", where);
  check(where.field === "population" && where.found === "12 5x0" && where.file === "pop-bad-last.csv" && !!where.expected, "it names the field, what was found and expected, and the file", where);
  const line = await page.textContent("#import-result pre");
  check(line.includes("KZ-61,2023,jan1,total,total,12 5x0"), "it shows the bad line of the file", line);
  check((await page.textContent("#import-result pre mark")) === "12 5x0", "the bad value is marked in its line", await page.textContent("#import-result pre mark"));
  check((await page.getAttribute("#import-result", "role")) === "alert", "the error is announced");
  check((await population()) === before, "the table is unchanged after the bad file");
  await page.screenshot({ path: path.join(out, "data-error.png"), fullPage: false });
  await page.locator("#upload-title").evaluate((el) => el.scrollIntoView());
  await page.screenshot({ path: path.join(out, "data-error-form.png") });

  // ---- a good upload: the count; the key is remembered in this tab ----
  await page.setInputFiles("#up-file", path.join(data, "pop-59.csv"));
  await page.click("#up-send");
  await page.waitForSelector("#import-result.ok");
  const okText = await page.textContent("#import-result");
  check(/\b2\b/.test(okText) && okText.includes("population"), "the good file's count is shown", okText);
  const after = await population();
  check(after !== before && after.includes(",2024,jan1,total,total,520001,"), "the good file's rows are in the table", after.length);
  await page.screenshot({ path: path.join(out, "data-ok.png") });
  await page.reload();
  await settle();
  check((await page.inputValue("#up-key")) === key, "the key is kept for this tab (sessionStorage)");
  // the form's controls all have labels
  const unlabelled = await page.$$eval("#upload input, #upload select", (els) => els.filter((e) => !document.querySelector(`label[for="${e.id}"]`)).map((e) => e.id));
  check(unlabelled.length === 0, "every control of the form has a label", unlabelled);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, "data-full.png"), fullPage: true });

  // ---- a placement run, made through the API ----
  for (const [table, file] of [["colleges", "match-colleges.csv"], ["enterprises", "match-enterprises.csv"], ["places", "match-places.csv"], ["students", "match-students.csv"], ["choices", "match-choices.csv"], ["enterprise-rankings", "match-enterprise-rankings.csv"]]) {
    const r = await post(`/api/v1/import/${table}?name=${file}`, await readFile(path.join(data, file)), "text/csv");
    check(r.status === 200, `import ${table}`, r);
  }
  const job = await post("/api/v1/match-runs", JSON.stringify({ seed: 42 }), "application/json");
  check(job.status === 202 && job.body.job, "a placement run is a job", job);
  let state = null;
  for (let i = 0; i < 600 && !(state && (state.state === "done" || state.state === "failed")); i++) {
    await new Promise((res) => setTimeout(res, 100));
    state = await api(`/api/v1/jobs/${job.body.job}`);
  }
  check(state && state.state === "done", "the job is done", state);
  const runs = await api("/api/v1/match-runs");
  const run = runs.items[0];
  const info = await api(`/api/v1/match-runs/${run.id}`);
  const cutoffs = await api(`/api/v1/match-runs/${run.id}/cutoffs?limit=1000`);

  // ---- the matching page: stats, fill by region, cutoffs, an explanation ----
  await page.goto(base + "/#/matching");
  await settle();
  check((await page.textContent("h1")) === "Placement of dual-training students", "the matching page opens", await page.textContent("h1"));
  const students = await page.textContent('#match-stats dd[data-key="students"]');
  check(students === String(info.stats.students) && info.stats.students === 40, "it shows the run's students", students);
  const matched = await page.textContent('#match-stats dd[data-key="matched"]');
  check(matched.startsWith(String(info.stats.matched)), "and how many were placed", matched);
  const hist = await page.$$eval("#match-hist tbody tr td", (tds) => tds.map((td) => Number(td.textContent)));
  check(JSON.stringify(hist) === JSON.stringify(info.stats.rank_hist), "the students by the choice received", [hist, info.stats.rank_hist]);
  const cutRows = await page.$$eval("#match-cutoffs tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  check(cutRows.length === cutoffs.items.length, "every place's cutoff", [cutRows.length, cutoffs.items.length]);
  const full = cutoffs.items.find((c) => c.cutoff !== null);
  const fullRow = full && cutRows.find((r) => r[0] === full.place);
  check(fullRow && fullRow[6] === full.cutoff.toFixed(1) && fullRow[4] === String(full.seats), "a full place's cutoff score and seats", [full, fullRow]);
  const byRegion = await api(`/api/v1/match-runs/${run.id}/cutoffs?by=region&limit=1000`);
  const regionRows = await page.$$eval("#match-regions tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const withPlaces = byRegion.items.filter((c) => c.places > 0);
  check(regionRows.length === withPlaces.length && regionRows.length > 1, "cutoffs by region, one row a region with places", regionRows.length);
  // every row, every column, as the API (the library's ksp_match_cutoffs_by_region) gives it
  const regionsEn = await api("/api/v1/regions?lang=en&limit=1000");
  const nameOf = (k) => (regionsEn.items.find((x) => x.kato === k) || { name: "unknown" }).name;
  const cut1 = (v) => (v === null ? "no cutoff" : v.toFixed(1));
  const want = withPlaces.map((c) => [nameOf(c.region), String(c.places), String(c.full), String(c.seats), String(c.filled), cut1(c.lowest_cutoff), cut1(c.highest_cutoff)]);
  const sortRows = (rows) => rows.map((r) => JSON.stringify(r)).sort();
  check(JSON.stringify(sortRows(regionRows)) === JSON.stringify(sortRows(want)), "each region's places, full places, seats, fill and lowest and highest cutoff, as the API gives them", [regionRows, want]);
  check(withPlaces.some((c) => c.lowest_cutoff !== null && c.full > 0) && withPlaces.some((c) => c.lowest_cutoff === null), "the run has regions with and without a cutoff", withPlaces);
  await page.screenshot({ path: path.join(out, "matching.png"), fullPage: true });

  // a student placed below their first choice, found through the API
  let who = null, ex = null;
  for (let i = 1; i <= 40 && !who; i++) {
    const s = "S" + String(i).padStart(7, "0");
    const e = await api(`/api/v1/match-runs/${run.id}/students/${s}`);
    if (e.place && e.why && e.why.length) [who, ex] = [s, e];
  }
  check(!!who, "the placement has a student placed below a higher choice");
  await page.fill("#match-student", who);
  await page.press("#match-student", "Enter");
  await page.waitForSelector("#explain-summary");
  const summary = await page.textContent("#explain-summary");
  check(ex.place ? summary.includes(ex.place) && summary.includes(String(ex.choice)) : summary.startsWith("Not placed"), "the student's outcome", summary);
  const why = await page.$$eval("#explain-why li", (lis) => lis.map((li) => [li.value, li.dataset.reason, li.textContent]));
  check(why.length === ex.why.length && why.every((w, i) => w[0] === ex.why[i].choice && w[1] === ex.why[i].reason && w[2].includes(ex.why[i].place)), "why not each place ranked higher, as the API says", why);
  const w0 = ex.why[0];
  if (w0.reason === "full") check(why[0][2].includes(String(w0.above)), "the reason gives the students ranked above", why[0][2]);
  const choices = await page.$$eval("#explain-choices tbody tr", (trs) => trs.length);
  check(choices === ex.choices.length, "the student's choices", choices);
  check(page.url().includes("student=" + who), "the explanation has an address", page.url());
  await page.locator("#explain").evaluate((el) => el.scrollIntoView());
  await page.screenshot({ path: path.join(out, "matching-explain.png") });
  await page.fill("#match-student", "NOBODY");
  await page.press("#match-student", "Enter");
  await page.waitForSelector("#explain-error");
  check((await page.textContent("#explain-error")).includes("NOBODY"), "an unknown student is said so");

  // ---- the language switch: a label changes ----
  const ru = await api("/api/v1/messages?lang=ru");
  await page.fill("#match-student", who);
  await page.press("#match-student", "Enter");
  await page.waitForSelector("#explain-summary");
  await page.focus('#langs button[data-lang="ru"]');
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.documentElement.lang === "ru");
  await settle();
  await page.waitForSelector("#explain-summary");
  const h1ru = await page.textContent("h1");
  check(h1ru === ru.messages["Placement of dual-training students"] && h1ru !== "Placement of dual-training students", "the matching page in Russian", h1ru);
  const label = await page.textContent('label[for="match-student"]');
  check(label === ru.messages["Student's id"], "its labels in Russian", label);
  const regionsRu = await api("/api/v1/regions?lang=ru");
  const regionNames = await page.$$eval("#match-regions tbody th", (ths) => ths.map((th) => th.textContent));
  check(regionNames.every((n) => regionsRu.items.some((r) => r.name === n)), "region names in Russian", regionNames.slice(0, 3));
  await page.screenshot({ path: path.join(out, "matching-ru.png"), fullPage: true });
  await page.click('#nav a[href="#/data"]');
  await settle();
  check((await page.textContent('label[for="up-file"]')) === ru.messages["CSV file"], "the upload form in Russian");
  await page.screenshot({ path: path.join(out, "data-ru.png") });
}, { pause: 200, ignoreConsole: /status of 40[0-4]/ }); // the failed uploads answer 400 on purpose: the browser logs those
