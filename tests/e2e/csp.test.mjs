// The strict Content Security Policy: the harness sends it with every
// response (harness.mjs, CSP), and every page and every embed must load,
// mount its widgets and run without one violation under it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openPage, load, pagePaths, embedPaths, CSP } from "./harness.mjs";

let server, browser, pages, embeds;

before(async () => {
  server = await serve();
  browser = await launch();
  const page = await openPage(browser);
  pages = await pagePaths(page, server.url);
  embeds = await embedPaths(page, server.url);
  await page.context().close();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Records every violation the document reports, before any of its scripts run. */
function recordViolations() {
  window.__violations = [];
  document.addEventListener(
    "securitypolicyviolation",
    (e) =>
      window.__violations.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"}` +
          (e.sourceFile ? ` at ${e.sourceFile}:${e.lineNumber}` : "") +
          (e.sample ? ` ${JSON.stringify(e.sample)}` : ""),
      ),
    true,
  );
}

/** Opens `path` under the policy; returns what the browser refused. */
async function violations(path, act = async () => {}) {
  const page = await openPage(browser, { serviceWorkers: "block" });
  const console = [];
  page.on("console", (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) console.push(msg.text());
  });
  await page.addInitScript(recordViolations);
  await load(page, server.url + path);
  await act(page);
  // Let timers, frames and the resize observer of an embed run.
  await page.waitForTimeout(300);
  const found = [...(await page.evaluate(() => window.__violations)), ...console];
  await page.context().close();
  return found;
}

test("every response carries the strict policy", async () => {
  for (const path of ["/", "/gc", "/embed/quiz", "/no-such-page", "/style.css", "/data/toolchain.json", "/sw.js"]) {
    const r = await fetch(server.url + path);
    assert.equal(r.headers.get("content-security-policy"), CSP, path);
    assert.equal(r.headers.get("x-frame-options"), null, `${path}: anyone may frame the site`);
  }
  assert.doesNotMatch(CSP, /frame-ancestors/);
});

test("every page and every embed runs without a policy violation", async () => {
  assert.ok(pages.length >= 8 && embeds.length >= 10, `${pages} ${embeds}`);
  for (const path of [...pages, ...embeds, "/no-such-page", "/embed/no-such-widget"]) {
    const found = await violations(path);
    assert.deepEqual(found, [], `${path}: the policy blocked ${found[0]}`);
  }
});

test("the widgets' drawn states run without a policy violation", async () => {
  // States a first load does not show: a stack copied on growth (two bars),
  // the allocator's fill bar of a span with many slots, the latency bars.
  const states = {
    "/embed/stack?stack-step=5": ".stack-bar.old rect",
    "/embed/allocator?size=8&alloc-step=20": ".slot-bar rect",
    "/embed/scheduler": ".latency-histogram .bar rect",
  };
  for (const [path, drawn] of Object.entries(states)) {
    const found = await violations(path, async (page) => {
      assert.ok((await page.locator(drawn).count()) > 0, `${path} draws ${drawn}`);
    });
    assert.deepEqual(found, [], `${path}: the policy blocked ${found[0]}`);
  }
});

test("a bundle changed on the way does not run: the loader checks its integrity", async () => {
  const page = await openPage(browser, { serviceWorkers: "block" });
  await page.route(/\/gopherscope-[\w-]+\.js$/, async (route) => {
    const r = await route.fetch();
    await route.fulfill({ response: r, body: (await r.text()) + "\n// changed\n" });
  });
  await page.goto(server.url + "/values");
  await page.waitForSelector("[data-gopherscope] .startup-error[role=alert]");
  assert.match(await page.textContent(".startup-error"), /could not start/);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.islands), undefined);
  await page.context().close();
});

test("a page that breaks the policy is caught", async () => {
  // The listener itself must see a violation when there is one.
  const page = await openPage(browser, { serviceWorkers: "block" });
  await page.addInitScript(recordViolations);
  await load(page, server.url + "/values");
  await page.evaluate(() => document.querySelector("main h1").setAttribute("style", "color: red"));
  await page.waitForFunction(() => window.__violations.length > 0);
  assert.match((await page.evaluate(() => window.__violations))[0], /^style-src-attr blocked inline/);
  await page.context().close();
});
