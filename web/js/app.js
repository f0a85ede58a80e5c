// app.js - the dashboard's frame: the pages, the hash router, the
// navigation and the language switch.
//
// A page is a module in js/pages/ exporting { id, title, nav, render };
// adding one is a new file and a line in PAGES below.  render(el, ctx)
// fills el for the route #/ID/ARG?QUERY; ctx gives the route's arg and
// query, the shared state (the chosen forecast run) and helpers.
import { LANGS, currentLang, initialLang, setLang, t } from "./i18n.js";
import { disposeCharts } from "./charts.js";
import { getJSON } from "./api.js";
import { DEFAULT_PAGE, clean, hashFor, parseHash } from "./route.js";
import * as mapPage from "./pages/map.js";
import * as regionPage from "./pages/region.js";
import * as occupationPage from "./pages/occupation.js";
import * as ordersPage from "./pages/orders.js";
import * as migrationPage from "./pages/migration.js";
import * as dataPage from "./pages/data.js";
import * as matchingPage from "./pages/matching.js";

const PAGES = [mapPage, regionPage, occupationPage, ordersPage, migrationPage, matchingPage, dataPage];

const LANG_NAMES = { kk: "Қазақша", ru: "Русский", en: "English" };

// State shared by the pages: the forecast runs and the one chosen.
const state = { runs: null, run: null };

// The stored forecast runs, newest first (read once a visit).
async function runs() {
  if (!state.runs) {
    const answer = await getJSON("/api/v1/forecasts", { limit: 100 });
    state.runs = answer.items;
  }
  return state.runs;
}

// The run a page shows: ?run= when given, else the one chosen before, else
// the newest baseline, else the newest.
async function chosenRun(query) {
  const list = await runs();
  const want = Number(query.get("run"));
  let run = list.find((r) => r.id === want) || (state.run && list.find((r) => r.id === state.run.id));
  if (!run) run = list.find((r) => r.scenario === "baseline") || list[0] || null;
  state.run = run;
  return run;
}

function renderNav(route) {
  const nav = document.getElementById("nav");
  nav.replaceChildren();
  for (const p of PAGES.filter((p) => p.nav)) {
    const a = document.createElement("a");
    a.href = hashFor(p.id);
    a.textContent = p.title();
    if (p.id === route.id) a.setAttribute("aria-current", "page");
    nav.append(a);
  }
  const langs = document.getElementById("langs");
  langs.setAttribute("aria-label", t("Language"));
  langs.replaceChildren();
  for (const l of LANGS) {
    const b = document.createElement("button");
    b.type = "button";
    b.lang = l;
    b.dataset.lang = l;
    b.textContent = l.toUpperCase();
    b.title = LANG_NAMES[l];
    b.setAttribute("aria-label", LANG_NAMES[l]);
    b.setAttribute("aria-pressed", String(l === currentLang()));
    b.addEventListener("click", async () => {
      if (l === currentLang()) return;
      await setLang(l);
      render();
      document.querySelector(`#langs button[data-lang="${l}"]`)?.focus();
    });
    langs.append(b);
  }
  document.getElementById("skip").textContent = t("Skip to the content");
  document.getElementById("foot").textContent = t("kasip: labour resources of Kazakhstan, forecast from the data in this server's database");
}

let generation = 0;

async function render() {
  const route = parseHash(location.hash);
  const page = PAGES.find((p) => p.id === route.id);
  const main = document.getElementById("main");
  const mine = ++generation;
  renderNav(route);
  disposeCharts();
  main.replaceChildren();
  main.setAttribute("aria-busy", "true");
  if (!page) {
    main.innerHTML = `<h1></h1><p class="error"></p>`;
    main.querySelector("h1").textContent = t("Page not found");
    main.querySelector("p").textContent = location.hash;
    main.removeAttribute("aria-busy");
    return;
  }
  document.title = page.title() + " · kasip";
  const ctx = {
    arg: route.arg,
    query: route.query,
    state,
    runs,
    chosenRun: () => chosenRun(route.query),
    // Replace the query of the current route without a new history entry.
    setQuery(changes) {
      const q = Object.fromEntries(route.query);
      Object.assign(q, changes);
      history.replaceState(null, "", hashFor(route.id, route.arg, q));
      route.query = new URLSearchParams(clean(q));
    },
    stale: () => mine !== generation,
  };
  try {
    await page.render(main, ctx);
  } catch (e) {
    if (mine !== generation) return;
    const p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = t("The server could not answer: %s", e.message);
    main.append(p);
  } finally {
    if (mine === generation) main.removeAttribute("aria-busy");
  }
}

async function start() {
  try {
    await setLang(initialLang());
  } catch (e) {
    document.documentElement.lang = "en";
  }
  window.addEventListener("hashchange", () => {
    if (location.hash.startsWith("#/") || location.hash === "") {
      render().then(() => document.getElementById("main").focus({ preventScroll: true }));
    }
  });
  if (!location.hash.startsWith("#/")) history.replaceState(null, "", hashFor(DEFAULT_PAGE));
  await render();
  document.body.dataset.ready = "1";
}

start();
