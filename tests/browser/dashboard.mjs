// dashboard.mjs BASE OUT CHROMIUM SRC: the dashboard in headless Chromium,
// driven by playwright-core (SRC/node_modules), against the kasip serve at
// BASE (tests/browser/run.sh starts it).  No network: every request to
// another host than 127.0.0.1 is refused and fails the test.  Screenshots
// of each page go to OUT.  Prints "ok"/"FAIL" lines and ends with
// "N passed, N failed"; exits 1 on a failure.
import path from "node:path";
import { base, out, check, withPage } from "./lib.mjs";


async function api(p) {
  const r = await fetch(base + p);
  return r.json();
}

await withPage(async ({ page, settle }) => {

  // ---- the map, in English first (the browser's language) ----
  await page.goto(base + "/");
  await settle();
  check((await page.getAttribute("html", "lang")) === "en", "the page starts in the browser's language", await page.getAttribute("html", "lang"));
  check(page.url().endsWith("#/map"), "the default page is the map", page.url());
  const h1en = await page.textContent("h1");
  check(h1en === "Shortage of workers by region", "the map's title in English", h1en);
  await page.waitForSelector("#map-chart canvas");
  const rows = await page.$$eval("#map-table tbody tr", (trs) => trs.length);
  check(rows === 20, "the map's table lists the 20 regions", rows);
  const legend = await page.evaluate(() => {
    const c = window.echarts.getInstanceByDom(document.getElementById("map-chart"));
    const o = c.getOption();
    return { n: o.series[0].data.length, vm: o.visualMap.length };
  });
  check(legend.n === 20 && legend.vm === 1, "the map colours 20 regions and has a legend", legend);
  await page.screenshot({ path: path.join(out, "map-en.png"), fullPage: true });

  // ---- the language switch: a label changes, <html lang>, remembered ----
  const kk = await api("/api/v1/messages?lang=kk");
  await page.click('#langs button[data-lang="kk"]');
  await page.waitForFunction(() => document.documentElement.lang === "kk");
  await settle();
  const h1kk = await page.textContent("h1");
  check(h1kk === kk.messages["Shortage of workers by region"] && h1kk !== h1en, "the title changes to Kazakh", h1kk);
  const navkk = await page.textContent("#nav a");
  check(navkk === kk.messages["Map"], "the navigation is in Kazakh", navkk);
  check((await page.getAttribute('#langs button[data-lang="kk"]', "aria-pressed")) === "true", "the Kazakh button is pressed");
  const firstRatio = await page.textContent("#map-table tbody tr td");
  check(/^-?[\d\u00a0\u202f ]+,\d %$|^-?\d+,\d\s?%$/.test(firstRatio.replace(/\u00a0|\u202f/g, " ")), "numbers use the Kazakh format (decimal comma)", firstRatio);
  const regionsKk = await api("/api/v1/regions?lang=kk");
  const names = await page.$$eval("#map-table tbody th a", (as) => as.map((a) => a.textContent));
  check(names.every((n) => regionsKk.items.some((r) => r.name === n)), "region names are in Kazakh", names.slice(0, 3));
  await page.screenshot({ path: path.join(out, "map-kk.png"), fullPage: true });
  await page.reload();
  await settle();
  check((await page.getAttribute("html", "lang")) === "kk", "the language is remembered after a reload");

  // ---- the year and group controls reach the map's data ----
  await page.selectOption("#map-group", "2");
  await page.waitForFunction(() => location.hash.includes("group=2"));
  await settle();
  const runs = await api("/api/v1/forecasts");
  const run = runs.items.find((r) => r.scenario === "baseline");
  const high = runs.items.find((r) => r.scenario === "high");
  const want = await api(`/api/v1/forecasts/${run.id}/map?year=${run.target_year}&under=2`);
  const shown = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById("map-chart")).getOption().series[0].data.map((d) => [d.name, d.value]));
  const same = shown.length === 20 && shown.every(([k, v]) => want.items.some((a) => a.region === k && Math.abs(a.shortage_ratio - v) < 1e-12));
  check(same, "the map shows the API's shortage ratios of the group chosen", shown.slice(0, 2));

  // ---- click a region on the map ----
  const regions = await api("/api/v1/regions");
  const karaganda = regions.items.find((r) => r.iso === "KZ-35");
  const px = await page.evaluate(([lon, lat]) => window.echarts.getInstanceByDom(document.getElementById("map-chart")).convertToPixel({ seriesIndex: 0 }, [lon, lat]), [karaganda.lon, karaganda.lat]);
  const box = await page.locator("#map-chart").boundingBox();
  await page.mouse.move(box.x + px[0], box.y + px[1]);
  await page.waitForTimeout(200);
  const tip = await page.evaluate(() => [...document.querySelectorAll("#map-chart div")].map((d) => d.textContent).find((s) => s && s.includes("%")) || "");
  check(tip.includes(regionsKk.items.find((r) => r.iso === "KZ-35").name), "hovering a region shows its name and figure", tip);
  await page.mouse.click(box.x + px[0], box.y + px[1]);
  await page.waitForFunction(() => location.hash.startsWith("#/region/"));
  check(page.url().includes("#/region/" + karaganda.kato), "a click on Karaganda opens its page", page.url());
  await settle();

  // ---- the region: an atlas table row ----
  const atlas = await api(`/api/v1/regions/${karaganda.kato}/atlas?lang=kk&run=${run.id}`);
  check((await page.textContent("h1")) === atlas.atlas.name, "the region page is titled with the region", await page.textContent("h1"));
  const firstCode = atlas.ranked.in_demand[0];
  const occ = atlas.occupations.find((o) => o.code === firstCode);
  const row = await page.$$eval("#table-in_demand tbody tr:first-child > *", (cs) => cs.map((c) => c.textContent));
  check(row[0] === occ.title + " " + occ.code, "the first in-demand row is the atlas's first", row);
  check(row[5].includes(occ.outlook_label), "the row shows the outlook", row[5]);
  const probShown = row[6].replace(/\s|\u00a0|\u202f/g, "");
  check(probShown === Math.round(occ.class_probability.in_demand * 100) + "%", "the row shows the class's probability", [row[6], occ.class_probability.in_demand]);
  // sorting by the shortage ratio, from the keyboard
  await page.focus("#table-in_demand thead th:nth-child(5) button");
  await page.keyboard.press("Enter");
  check((await page.getAttribute("#table-in_demand thead th:nth-child(5)", "aria-sort")) === "descending", "Enter on a header sorts the table");
  const ratios = await page.$$eval("#table-in_demand tbody tr td:nth-child(5)", (tds) => tds.map((td) => parseFloat(td.textContent.replace(/[^\d,.-]/g, "").replace(",", "."))));
  check(ratios.length > 1 && ratios.every((v, i) => i === 0 || ratios[i - 1] >= v), "the rows are in descending shortage ratio", ratios.slice(0, 5));
  const charts = await page.evaluate(() => ["region-flows", "region-pyramid"].map((id) => !!window.echarts.getInstanceByDom(document.getElementById(id))));
  await page.waitForFunction(() => !!window.echarts.getInstanceByDom(document.getElementById("region-pyramid")));
  check(charts[0], "the region has the openings and supply chart");
  const pyr = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById("region-pyramid")).getOption().series.length);
  check(pyr === 4, "the pyramid has two years of two sexes", pyr);
  const links = await page.$$eval(".downloads a", (as) => as.map((a) => a.getAttribute("href")));
  for (const [fmt, type] of [["html", "text/html"], ["xlsx", "spreadsheetml"]]) {
    const href = links.find((l) => l.includes("format=" + fmt));
    const r = href ? await fetch(base + href) : null;
    check(r && r.status === 200 && r.headers.get("content-type").includes(type), `the ${fmt} atlas is one click away`, href);
  }
  await page.screenshot({ path: path.join(out, "region-full.png"), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(out, "region.png") });
  await page.locator("#region-pyramid").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(out, "region-pyramid.png") });
  await page.locator("#class-in_demand").evaluate((el) => el.scrollIntoView());
  await page.screenshot({ path: path.join(out, "region-classes.png") });

  // ---- search an occupation in Kazakh, open it ----
  await page.click('#nav a[href="#/occupation"]');
  await page.waitForSelector("#occ-q");
  await page.fill("#occ-q", "дәрігер");
  await page.waitForSelector("#occ-results li a");
  const found = await page.$$eval("#occ-results li a", (as) => as.map((a) => a.textContent));
  check(found.includes("Дәрігерлер"), "a search in Kazakh finds the doctors", found.slice(0, 3));
  await page.screenshot({ path: path.join(out, "occupation-search.png"), fullPage: true });
  await page.click("#occ-results li a >> text=Дәрігерлер");
  await page.waitForFunction(() => location.hash.startsWith("#/occupation/221"));
  await settle();
  check((await page.textContent("h1")) === "Дәрігерлер", "the occupation opens", await page.textContent("h1"));
  const placeRows = await page.$$eval("#occ-regions tbody tr", (trs) => trs.length);
  check(placeRows === 20, "its outlook is given for every region", placeRows);
  const mapN = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById("occ-map")).getOption().series[0].data.length);
  check(mapN === 20, "and drawn on the map", mapN);
  const paths = await page.$$eval(".paths > li", (lis) => lis.length);
  check(paths > 0, "the specialties that train for it are listed", paths);
  check((await page.getAttribute("#occ-forecast", "href")).includes("under=221"), "the occupation links to its forecast");
  await page.screenshot({ path: path.join(out, "occupation.png"), fullPage: true });

  // ---- a phone's width: nothing wider than the screen ----
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(400);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, "the occupation page fits a phone's width", overflow);
  await page.screenshot({ path: path.join(out, "occupation-phone.png"), fullPage: true });

  // ---- the forecast page: two scenarios side by side ----
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/#/forecast?run=${run.id}&compare=${high.id}&region=${karaganda.kato}&under=2211`);
  await settle();
  const cols = await page.$$eval(".sidebyside > section", (ss) => ss.length);
  check(cols === 2, "the forecast page shows two runs side by side", cols);
  for (const [i, r] of [[0, run], [1, high]]) {
    const want = await api(`/api/v1/forecasts/${r.id}/series?region=${karaganda.kato}&under=2211`);
    const got = await page.evaluate((i) => {
      const o = window.echarts.getInstanceByDom(document.getElementById("fc-demand-" + i)).getOption();
      return o.series.map((s) => ({ name: s.name, data: s.data }));
    }, i);
    const central = got[got.length - 1].data;
    check(central.length === want.items.length && central.every((v, k) => Math.abs(v - want.items[k].demand) < 1e-9), `run ${r.id}: the fan chart's central line is the API's demand`, central.slice(0, 2));
    check(got.length === 3 && got[0].data.every((v, k) => Math.abs(v - want.items[k].demand_p10) < 1e-6), `run ${r.id}: the band starts at P10`, got.length);
    const parts = await page.evaluate((i) => window.echarts.getInstanceByDom(document.getElementById("fc-parts-" + i)).getOption().series.length, i);
    check(parts === 7, `run ${r.id}: seven parts of openings and supply`, parts);
  }
  const d0 = await page.$$eval("#fc-table-0 tbody tr:last-child td", (tds) => tds.map((td) => td.textContent));
  const d1 = await page.$$eval("#fc-table-1 tbody tr:last-child td", (tds) => tds.map((td) => td.textContent));
  check(d0.length > 3 && d0.join() !== d1.join(), "the two scenarios differ", [d0[0], d1[0]]);
  await page.screenshot({ path: path.join(out, "forecast.png"), fullPage: true });
  await page.selectOption("#fc-under", "");
  await page.waitForFunction(() => !location.hash.includes("under=2211"));
  await settle();
  const allWant = await api(`/api/v1/forecasts/${run.id}/totals?region=${karaganda.kato}`);
  const allGot = await page.evaluate(() => window.echarts.getInstanceByDom(document.getElementById("fc-demand-0")).getOption().series.at(-1).data);
  check(allGot.every((v, k) => Math.abs(v - allWant.items[k].demand) < 1e-6 * v), "all occupations: demand is the run's totals", allGot.slice(0, 2));

  // ---- every control from the keyboard: Tab reaches the language buttons ----
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + "/#/map");
  await settle();
  let reached = false;
  await page.focus("#skip");
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement && document.activeElement.dataset.lang === "ru");
  }
  check(reached, "Tab reaches the language switch");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.documentElement.lang === "ru");
  await settle();
  const ru = await api("/api/v1/messages?lang=ru");
  check((await page.textContent("h1")) === ru.messages["Shortage of workers by region"], "Enter on it switches to Russian");
}, { pause: 300 });
