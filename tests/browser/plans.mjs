// plans.mjs BASE OUT CHROMIUM SRC: the plan pages (#/orders, #/migration)
// in headless Chromium against the kasip serve at BASE (tests/browser/run.sh,
// which hands an admin key in $KASIP_TEST_KEY).  A state order and a
// migration plan are submitted through the API and waited for; the pages
// must show the API's figures: the places table and the bars by specialty,
// the binding constraints, the flows on the map as wide as their movers and
// a legend; a state order submitted from the page's own form opens when its
// job is done; the Kazakh switch changes the labels.  Screenshots go to OUT
// (plans-*.png).  Prints "ok"/"FAIL" lines; exits 1 on a failure.
import path from "node:path";
import { base, out, key, check, withPage } from "./lib.mjs";


async function api(p, body) {
  const r = await fetch(base + p, body === undefined ? { headers: { Authorization: "Bearer " + key } } : { method: "POST", headers: { Authorization: "Bearer " + key, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}
// Submit a plan and wait for its job; the plan's id.
async function plan(kind, body) {
  const q = await api(`/api/v1/plans/${kind}`, body);
  check(q.status === 202, `POST /api/v1/plans/${kind} is accepted`, q);
  for (let i = 0; i < 600; i++) {
    const j = (await api(`/api/v1/jobs/${q.body.job}`)).body;
    if (j.state === "done") return j.result.plan;
    if (j.state === "failed") {
      check(false, `the ${kind} job is done`, j);
      return null;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  check(false, `the ${kind} job ends`);
  return null;
}
async function all(p) {
  const first = (await api(p + (p.includes("?") ? "&" : "?") + "limit=1000")).body;
  const items = first.items.slice();
  let next = first.next;
  while (next) {
    const page = (await api(next)).body;
    items.push(...page.items);
    next = page.next;
  }
  return { plan: first.plan, items };
}

check(!!key, "run.sh hands an admin key in KASIP_TEST_KEY");
const run = (await api("/api/v1/forecasts")).body.items[0];
const ordersId = await plan("orders", { run: run.id, working_share: 0.3 });
const migrationId = await plan("migration", { run: run.id, year: run.base_year + 1, budget: 2e9 });

await withPage(async ({ page, settle, errors }) => {
  const option = (id) => page.evaluate((id) => {
    const c = window.echarts.getInstanceByDom(document.getElementById(id));
    return c ? JSON.parse(JSON.stringify(c.getOption())) : null;
  }, id);

  // ---- the state order ----
  const orders = await all(`/api/v1/plans/${ordersId}`);
  await page.goto(base + "/#/orders?plan=" + ordersId);
  await settle();
  check((await page.textContent("h1")) === "State order of college places", "the state order's title in English", await page.textContent("h1"));
  check((await page.inputValue("#orders-plan")) === String(ordersId), "the plan submitted is the one chosen");
  const shown = Math.min(orders.items.length, 40);
  const trs = await page.$$eval("#orders-table tbody tr", (t) => t.length);
  check(orders.items.length > 0 && trs === shown, "the table has the plan's rows", [trs, orders.items.length]);
  const first = await page.$$eval("#orders-table tbody tr:first-child > *", (cs) => cs.map((c) => c.textContent));
  const r0 = orders.items[0];
  check(first[0] === r0.region_name && first[2] === r0.specialty + " — " + r0.specialty_name && first[3].replace(/\D/g, "") === String(Math.round(r0.places)), "its first row is the API's, the specialty's code with its name", [first, r0]);
  check(orders.items.every((r) => r.specialty_name && r.specialty_name !== r.specialty), "the API names every specialty of the plan", orders.items.filter((r) => !r.specialty_name).slice(0, 3));
  const lead = await page.textContent("p.lead");
  check(["optimal", "feasible"].includes(orders.plan.status) && lead.includes("status " + orders.plan.status + "."), "the plan's status", lead);
  const bars = await option("orders-bars");
  const barValues = bars.series.flatMap((s) => s.data.filter((d) => d !== null).map((d) => d.value)).sort((a, b) => a - b);
  const apiValues = orders.items.map((r) => r.places).sort((a, b) => a - b);
  check(bars.series.length > 0 && JSON.stringify(barValues) === JSON.stringify(apiValues), "the bars by specialty stack the API's places", [barValues.length, apiValues.length]);
  const figs = await page.textContent("#plan-figs");
  check(figs.replace(/\D/g, "").includes(String(Math.round(orders.plan.total))), "the key figures give the plan's places", figs);
  const binding = orders.plan.binding.length;
  const bindRows = binding ? await page.$$eval("#orders-binding tbody tr", (t) => t.length) : 0;
  check(bindRows === Math.min(binding, 25), "the binding constraints are listed", [bindRows, binding]);
  if (binding) {
    const places = orders.plan.binding.find((c) => c.kind === "places");
    const txt = await page.textContent("#orders-binding tbody");
    check(!places || txt.includes("shortage closed per place"), "the places' dual is a shortage closed per place", txt.slice(0, 200));
  }
  const gapRows = await page.$$eval("#orders-gaps-table tbody tr", (t) => t.length);
  const gaps = await all(`/api/v1/plans/${ordersId}?table=gaps`);
  check(gapRows === Math.min(25, gaps.items.filter((g) => g.occupation === "").length) && gapRows > 0, "the shortage before and after is given by region", gapRows);
  await page.screenshot({ path: path.join(out, "plans-orders.png"), fullPage: true });
  await page.selectOption("#orders-by", "occupation");
  await page.waitForFunction(() => location.hash.includes("by=occupation"));
  await settle();
  const occRows = await page.$$eval("#orders-gaps-table tbody tr", (t) => t.length);
  check(occRows === Math.min(25, gaps.items.filter((g) => g.occupation !== "").length) && occRows > 0, "and by region and occupation", occRows);

  // ---- a state order from the page's form: the new plan opens ----
  const regions = (await api("/api/v1/regions")).body.items;
  const karaganda = regions.find((r) => r.iso === "KZ-35");
  await page.click(".submitbox summary");
  await page.fill("#sub-orders-key", key);
  await page.selectOption("#sub-orders-region", karaganda.kato);
  await page.fill("#sub-orders-params", "change = 0.4");
  await page.click("#sub-orders-form button[type=submit]");
  await page.waitForFunction((old) => {
    const m = location.hash.match(/plan=(\d+)/);
    return m && Number(m[1]) !== old;
  }, ordersId, { timeout: 60000 });
  await settle();
  const newId = Number(page.url().match(/plan=(\d+)/)[1]);
  const mine = (await api(`/api/v1/plans/${newId}`)).body.plan;
  check(mine && mine.region === karaganda.kato && mine.params.change === 0.4, "the form's plan is run with its region and parameters and opens", mine && [mine.region, mine.params.change]);
  const kgRows = await page.$$eval("#orders-table tbody tr th", (t) => [...new Set(t.map((x) => x.textContent))]);
  check(kgRows.length === 1 && kgRows[0] === karaganda.name, "it plans Karaganda alone", kgRows);
  // a bad parameter line: said on the page, positioned
  await page.click(".submitbox summary").catch(() => {});
  if (!(await page.isVisible("#sub-orders-key"))) await page.click(".submitbox summary");
  await page.fill("#sub-orders-key", key);
  await page.fill("#sub-orders-params", "places = 1000\nworking_share = lots");
  await page.click("#sub-orders-form button[type=submit]");
  await page.waitForSelector("#sub-orders-status.error");
  const err = await page.textContent("#sub-orders-status");
  check(err.includes("params:2:"), "a bad parameter line is refused with its position", err);
  // the browser logs the refused POST itself: that one is expected
  const refused = errors.findIndex((e) => e.includes("status of 400"));
  if (refused >= 0) errors.splice(refused, 1);

  // ---- the migration plan ----
  const mig = await all(`/api/v1/plans/${migrationId}`);
  await page.goto(base + "/#/migration?plan=" + migrationId);
  await settle();
  check((await page.textContent("h1")) === "Internal migration plan", "the migration page's title in English", await page.textContent("h1"));
  await page.waitForSelector("#migration-map canvas");
  const mo = await option("migration-map");
  const od = mig.plan.od_matrix;
  const cells = od.movers.flat().filter((m) => m > 0);
  const lines = mo.series.find((s) => s.type === "lines");
  check(lines && cells.length > 0 && lines.data.length === cells.length, "the flow map draws a line for every OD cell with movers", [lines && lines.data.length, cells.length]);
  const widest = lines.data.reduce((a, b) => (b.value > a.value ? b : a));
  const thinnest = lines.data.reduce((a, b) => (b.value < a.value ? b : a));
  check(widest.value === Math.max(...cells) && widest.lineStyle.width > thinnest.lineStyle.width || cells.length === 1, "the lines are as wide as their movers", [widest.value, widest.lineStyle.width, thinnest.lineStyle.width]);
  const i = od.movers.findIndex((row) => row.includes(widest.value));
  const j = od.movers[i].indexOf(widest.value);
  const from = regions.find((r) => r.kato === od.regions[i].code), to = regions.find((r) => r.kato === od.regions[j].code);
  check(JSON.stringify(widest.coords) === JSON.stringify([[from.lon, from.lat], [to.lon, to.lat]]), "between the regional centres of the API", widest.coords);
  check(mo.legend.length === 1 && mo.legend[0].data.length === 2 && mo.geo[0].map === "kz", "over the region map, with a legend", mo.legend[0] && mo.legend[0].data);
  const ftr = await page.$$eval("#migration-table tbody tr", (t) => t.length);
  check(ftr === Math.min(40, mig.items.length) && ftr > 0, "the flows table has the plan's flows", [ftr, mig.items.length]);
  const firstFlow = await page.textContent("#migration-table tbody tr th");
  const flowCells = await page.$$eval("#migration-table tbody tr:first-child > *", (cs) => cs.map((c) => c.textContent));
  check(mig.items[0].occupation_name && flowCells[1] === mig.items[0].occupation + " — " + mig.items[0].occupation_name, "the flow's occupation: its code with its name", [flowCells[1], mig.items[0]]);
  check(firstFlow === mig.items[0].from_name + " → " + mig.items[0].to_name, "the largest flow first", firstFlow);
  const kinds = mig.plan.binding.map((c) => c.kind);
  const bt = kinds.length ? await page.textContent("#migration-binding") : "";
  check(!kinds.includes("budget") || bt.includes("KZT saved per million tenge"), "the budget that binds with its dual", kinds);
  check(!kinds.includes("quota") || bt.includes("KZT saved per person of quota"), "the quotas that bind with their duals", kinds);
  const mfigs = await page.textContent("#plan-figs");
  check(mfigs.includes("million tenge"), "the cost is given", mfigs);
  await page.screenshot({ path: path.join(out, "plans-migration.png"), fullPage: true });
  await page.locator("#migration-map").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, "plans-migration-map.png") });

  // ---- Kazakh ----
  const kk = (await api("/api/v1/messages?lang=kk")).body.messages;
  await page.click('#langs button[data-lang="kk"]');
  await page.waitForFunction(() => document.documentElement.lang === "kk");
  await settle();
  const h1kk = await page.textContent("h1");
  check(h1kk === kk["Internal migration plan"] && h1kk !== "Internal migration plan", "the migration page's title changes to Kazakh", h1kk);
  const navkk = await page.$$eval("#nav a", (as) => as.map((a) => a.textContent));
  check(navkk.includes(kk["Migration"]) && navkk.includes(kk["State order"]), "the navigation names the plan pages in Kazakh", navkk);
  const mokk = await option("migration-map");
  check(mokk.legend[0].data.includes(kk["Movers"]), "the map's legend is in Kazakh", mokk.legend[0].data);
  const leadkk = await page.textContent("p.lead");
  check(kk[mig.plan.status] && leadkk.includes(kk[mig.plan.status]) && !leadkk.includes(mig.plan.status), "the plan's status in Kazakh", leadkk);
  const migkk = (await api(`/api/v1/plans/${migrationId}?lang=kk&limit=1`)).body.items[0];
  const flowkk = await page.$$eval("#migration-table tbody tr:first-child > *", (cs) => cs.map((c) => c.textContent));
  check(migkk.occupation_name && flowkk[1] === migkk.occupation + " — " + migkk.occupation_name, "the occupation's name in Kazakh, as the API gives it", [flowkk[1], migkk]);
  await page.screenshot({ path: path.join(out, "plans-migration-kk.png"), fullPage: true });
  await page.goto(base + "/#/orders?plan=" + ordersId);
  await settle();
  check((await page.textContent("h1")) === kk["State order of college places"], "the state order in Kazakh");
  const orderskk = (await api(`/api/v1/plans/${ordersId}?lang=kk&limit=1`)).body.items[0];
  const rowkk = await page.$$eval("#orders-table tbody tr:first-child > *", (cs) => cs.map((c) => c.textContent));
  check(orderskk.specialty_name && orderskk.specialty_name !== r0.specialty_name && rowkk[2] === orderskk.specialty + " — " + orderskk.specialty_name, "the specialty's name in Kazakh, as the API gives it", [rowkk[2], orderskk.specialty_name, r0.specialty_name]);
  await page.screenshot({ path: path.join(out, "plans-orders-kk.png"), fullPage: true });

  // ---- a phone's width ----
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, "the state order fits a phone's width", overflow);
}, { pause: 400 });
