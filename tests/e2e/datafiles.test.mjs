// A data file that fails to load (web/data/*.json, fetched by the widget
// that shows it; see web/src/kit/data.rs): the network down, a 404, a web
// page instead of JSON, JSON of the wrong shape. Each time the widget says
// what went wrong and offers Try again, the rest of the page keeps
// working, and Try again loads the file once it is there.
//
// The build explorer's build-explorer.json is the one file the browser
// fetches: the knobs page's toolchain.json is read at build time into the
// static HTML (web/src/bin/prerender.rs). The service worker is blocked, so
// that no cached copy answers in place of the failure under test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openPage, load } from "./harness.mjs";

let server, browser;

before(async () => {
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const FILE = "**/data/build-explorer.json";

const failures = {
  "the network is down": {
    answer: (route) => route.abort("internetdisconnected"),
    says: /network request failed .*you may be offline/,
  },
  "the file is missing (404)": {
    answer: (route) => route.fulfill({ status: 404, contentType: "text/html", body: "<!doctype html><h1>Not found</h1>" }),
    says: /the server answered 404/,
  },
  "a web page comes back instead of JSON": {
    answer: (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Sign in</title><h1>Sign in</h1>" }),
    says: /came back as a web page \(HTML\), not as the JSON data file/,
  },
  "the JSON has the wrong shape": {
    answer: (route) => route.fulfill({ status: 200, contentType: "application/json", body: '{"schema": "gopherscope/build-explorer/1", "builds": "none"}' }),
    says: /does not have the shape this page expects/,
  },
};

for (const [name, { answer, says }] of Object.entries(failures)) {
  test(`when ${name}, the build explorer says so, the page works, and Try again recovers`, async () => {
    const page = await openPage(browser, { serviceWorkers: "block" });
    let failing = true;
    await page.route(FILE, (route) => (failing ? answer(route) : route.continue()));
    await load(page, server.url + "/knobs?program=netserver");
    const alert = page.locator(".build-explorer .data-error[role=alert]");
    await alert.waitFor();
    const text = await alert.textContent();
    assert.match(text, /The build records could not be shown/, name);
    assert.match(text, says, `${name}: ${text}`);
    // The rest of the page still works: a knob's details open, the
    // toolchain excerpts are there.
    assert.equal(await page.locator(".knob").count(), 12);
    assert.ok((await page.locator("section.tool").count()) > 0);

    failing = false;
    await alert.locator("button", { hasText: "Try again" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("[data-build]");
    assert.equal(await page.getAttribute("[data-build]", "data-build"), "netserver.linux-amd64.cgo1.nosw.nox");
    assert.equal(await page.locator(".data-error").count(), 0);
    // Only the browser's own report of the failed request reached the console.
    assert.ok(
      page.errors.every((e) => /Failed to load resource/.test(e)),
      `${name}: ${page.errors.join("\n")}`,
    );
    await page.context().close();
  });
}

test("in an embed, a failed data file shows the same message and Try again", async () => {
  const page = await openPage(browser, { serviceWorkers: "block" });
  let failing = true;
  await page.route(FILE, (route) => (failing ? route.abort("internetdisconnected") : route.continue()));
  await load(page, server.url + "/embed/build-explorer");
  const alert = page.locator(".data-error[role=alert]");
  await alert.waitFor();
  assert.match(await alert.textContent(), /you may be offline/);
  failing = false;
  await alert.locator("button").click();
  await page.waitForSelector("[data-build]");
  await page.context().close();
});
