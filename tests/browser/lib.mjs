// lib.mjs - what the browser tests (tests/browser/*.mjs) share: the
// arguments run.sh gives (BASE OUT CHROMIUM SRC) and the admin key it puts
// in $KASIP_TEST_KEY, check() and its counters, and withPage(): headless
// Chromium through playwright-core (SRC/node_modules), one page in a
// 1280x900 English context that may not leave 127.0.0.1 (every other
// request is refused and listed, and fails the test), the page's script
// errors collected (and a failure), settle(), and the closing
// "N passed, N failed" with exit status 1 on a failure.
import { createRequire } from "node:module";
import path from "node:path";

export const [base, out, chromiumPath, src] = process.argv.slice(2);
export const key = process.env.KASIP_TEST_KEY || "";

let passed = 0, failed = 0;

// One check: an "ok" or "FAIL" line (with the detail as JSON on a failure).
export function check(cond, what, detail) {
  if (cond) {
    passed++;
    console.log("ok   " + what);
  } else {
    failed++;
    console.log("FAIL " + what + (detail !== undefined ? ": " + JSON.stringify(detail) : ""));
  }
}

// The closing line; exits 1 when a check failed.
export function done() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

// Run body({ browser, context, page, settle, errors }) on a fresh page, then
// check that no request left 127.0.0.1 and that the page logged no script
// error; an exception is the failure "the run finished".  Options: pause,
// the milliseconds settle() waits after the page is ready (the charts'
// entry animation, for screenshots); ignoreConsole, a RegExp of console
// errors that are expected (a refused upload's 400).  body may remove an
// expected entry from errors itself.  Ends with done().
export async function withPage(body, { pause = 300, ignoreConsole = null } = {}) {
  const require = createRequire(path.join(src, "package.json"));
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const blocked = [];
  const errors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.hostname === "127.0.0.1") return route.continue();
      blocked.push(u.href);
      return route.abort();
    });
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !(ignoreConsole && ignoreConsole.test(m.text()))) errors.push(m.text());
    });
    // The page is ready: app.js sets data-ready and clears aria-busy.
    const settle = async () => {
      await page.waitForFunction(() => document.body.dataset.ready === "1" && !document.getElementById("main").hasAttribute("aria-busy"), null, { timeout: 60000 });
      await page.waitForTimeout(pause);
    };
    await body({ browser, context, page, settle, errors });
    check(blocked.length === 0, "no request left 127.0.0.1", blocked);
    check(errors.length === 0, "no script errors", errors);
  } catch (e) {
    check(false, "the run finished", String(e && e.stack ? e.stack : e));
  } finally {
    await browser.close();
  }
  done();
}
