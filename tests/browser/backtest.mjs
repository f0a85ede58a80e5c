// backtest.mjs BASE OUT CHROMIUM SRC: the back-test on the dashboard's
// forecast page (issue 12), in headless Chromium against the kasip serve
// that run.sh starts (an admin key in $KASIP_TEST_KEY).  The page first
// says that no back-test is stored; one is run through the API as a job
// (base 2016, to 2019); the page then draws the country's employment as the
// API gives it (observed, the model, no change, the linear trend) and the
// MAPE table, and the Kazakh switch changes its heading.  Screenshots go to
// OUT (backtest-*.png).  Prints "ok"/"FAIL" lines; exits 1 on a failure.
import path from "node:path";
import { base, out, key, check, withPage } from "./lib.mjs";


async function api(p, body) {
  const r = await fetch(base + p, body === undefined ? { headers: { Authorization: "Bearer " + key } } : { method: "POST", headers: { Authorization: "Bearer " + key, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}

await withPage(async ({ page, settle }) => {

  // ---- none stored yet ----
  await page.goto(base + "/#/forecast");
  await settle();
  const none = await page.textContent("#fc-backtest .status");
  check(/No back-test is stored yet/.test(none || ""), "the forecast page says no back-test is stored", none);

  // ---- one run as a job ----
  const q = await api("/api/v1/backtests", { base: 2016, to: 2019 });
  check(q.status === 202, "POST /api/v1/backtests is accepted", q);
  let runId = null;
  for (let i = 0; i < 900 && q.status === 202; i++) {
    const j = (await api(`/api/v1/jobs/${q.body.job}`)).body;
    if (j.state === "done") {
      runId = j.result.run;
      break;
    }
    if (j.state === "failed") {
      check(false, "the back-test job is done", j);
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  check(runId !== null, "the back-test job ends with a run");
  const list = (await api("/api/v1/backtests")).body;
  check(list.items.length === 1 && list.items[0].id === runId, "GET /api/v1/backtests lists it", list);

  // ---- the chart shows the API's figures ----
  await page.reload();
  await settle();
  await page.waitForSelector("#fc-bt-chart canvas");
  const rows = (await api(`/api/v1/backtests/${runId}?dimension=region&borders=national&limit=1000`)).body.items.filter((r) => r.code === "KZ").sort((a, b) => a.year - b.year);
  const opt = await page.evaluate(() => JSON.parse(JSON.stringify(window.echarts.getInstanceByDom(document.getElementById("fc-bt-chart")).getOption())));
  const named = (n) => opt.series.find((s) => s.name === n);
  const obs = named("Observed"), model = named("kasip's model"), still = named("No change"), trend = named("Linear trend");
  check(!!(obs && model && still && trend), "the chart has observed, the model and both naive forecasts", opt.series.map((s) => s.name));
  check(rows.length >= 3 && obs && obs.data.length === rows.length && obs.data.every((v, i) => v === rows[i].observed), "the observed line is the API's", obs && obs.data);
  check(model && model.data.every((v, i) => v === rows[i].model), "the model's line is the API's", model && model.data);
  check(opt.xAxis[0].data.join() === rows.map((r) => String(r.year)).join(), "one point a year from the base year", opt.xAxis[0].data);
  const mape = await page.$$eval("#fc-bt-mape tbody tr", (trs) => trs.length);
  const years = new Set((await api(`/api/v1/backtests/${runId}?table=summary&dimension=region&borders=current&limit=1000`)).body.items.map((s) => s.year));
  check(mape === years.size && mape > 0, "the MAPE table has a row a year of the summary", [mape, years.size]);
  await page.locator("#fc-backtest").scrollIntoViewIfNeeded();
  await page.locator("#fc-backtest").screenshot({ path: path.join(out, "backtest-en.png") });

  // ---- Kazakh ----
  const kk = (await (await fetch(base + "/api/v1/messages?lang=kk")).json()).messages;
  await page.click('#langs button[data-lang="kk"]');
  await page.waitForFunction(() => document.documentElement.lang === "kk");
  await settle();
  const head = await page.textContent("#fc-backtest-h");
  check(head === kk["Back-test: projected against observed"] && head !== "Back-test: projected against observed", "the back-test's heading in Kazakh", head);
  await page.locator("#fc-backtest").screenshot({ path: path.join(out, "backtest-kk.png") });
}, { pause: 400 });
