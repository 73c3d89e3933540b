// An embed in host pages it does not control: malformed messages change
// nothing and throw nothing; the resize protocols hosts already run (H5P's
// resizer, Embedly's iframe.resize) size the frame to its content, each on
// a host page that loads only that protocol's listener; and every xAPI
// statement is valid, anonymous, and carries the host's activity.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serve, launch, openPage, assertValidStatement } from "./harness.mjs";

const HOSTS = fileURLToPath(new URL("./hosts/", import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let app, host, other, browser;

before(async () => {
  app = await serve();
  host = await serve(HOSTS); // the course site with its host pages: another origin
  other = await serve(); // a third origin that nobody named
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of [app, host, other]) await s?.close();
});

/** A page on `origin` holding one iframe of `src`, recording what it receives. */
async function framePage(origin, src, options) {
  const page = await openPage(browser, options);
  await page.goto(`${origin}/blank.html`);
  await page.evaluate((src) => {
    window.got = [];
    window.addEventListener("message", (e) => window.got.push({ origin: e.origin, data: e.data }));
    const f = document.createElement("iframe");
    f.id = "f";
    f.src = src;
    f.style.width = "100%";
    document.body.appendChild(f);
  }, src);
  await page.frameLocator("#f").locator("html[data-islands=live] main h1").waitFor({ state: "attached", timeout: 20000 });
  return page;
}

test("malformed messages change nothing and throw nothing; a valid one still works after them", async () => {
  const src = `${app.url}/embed/value-table?origin=${encodeURIComponent(host.url)}&frame=m&goarch=arm`;
  const page = await framePage(host.url, src);
  const frame = page.frames().find((f) => f.url().startsWith(app.url));
  await page.waitForFunction(() => window.got.some((m) => m.data && m.data.type === "gopherscope:resize"));
  // Let the widget settle: half a second with no message from it.
  for (let i = 0; i < 20; i++) {
    await page.evaluate(() => (window.got = []));
    await page.waitForTimeout(500);
    if ((await page.evaluate(() => window.got.length)) === 0) break;
  }
  const shown = () => frame.evaluate(() => [location.href, document.getElementById("main").innerHTML]);
  const before = await shown();
  const sent = await page.evaluate(() => {
    const huge = "x".repeat(10 * 1024 * 1024);
    const type = "gopherscope:request-size";
    const bad = [
      undefined, null, 0, 42, -1, NaN, true, "", type, huge, [], [type], [{ type }],
      { type: huge }, { type: 42 }, { type: null }, { type: [type] }, { type: { toString: null } },
      { type, extra: 1 }, { type, extra: huge }, { type, frame: "m" }, { type, height: 10 },
      { Type: type }, { type: type.toUpperCase() }, { type: ` ${type}` }, { type: "gopherscope:resize", height: 1 },
      JSON.parse(`{"__proto__": {"type": "${type}"}}`), { __proto__: { type } }, Object.assign(Object.create(null), { type, x: 1 }),
      Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`k${i}`, i])),
      { [huge]: type }, { type, [huge]: 1 },
      new Date(), new Map([["type", type]]), new Uint8Array(16), new Blob(["x"]),
      { context: "h5p" }, { context: "h5p", action: "prepareResize" }, { context: "h5p", action: "fullScreen" },
      { context: "h5p", action: "hello", extra: 1 }, { context: "h5p", action: 1 }, { context: "H5P", action: "hello" },
      { context: "h5p", action: huge }, { context: "iframe.resize", height: 10 }, JSON.stringify({ context: "h5p", action: "hello" }),
    ];
    const f = document.getElementById("f").contentWindow;
    window.got = [];
    const threw = [];
    for (const m of bad) {
      try {
        f.postMessage(m, "*");
      } catch (e) {
        threw.push(String(e));
      }
    }
    // What cannot be cloned throws here, in the host page, and never reaches the frame.
    for (const m of [new Proxy({ type }, { get() { throw new Error("trap"); } }), { type, f() {} }, Symbol("x")]) {
      try {
        f.postMessage(m, "*");
        threw.push("sent");
      } catch (e) {
        threw.push(e.name);
      }
    }
    return { count: bad.length, threw };
  });
  assert.deepEqual(sent.threw, ["DataCloneError", "DataCloneError", "DataCloneError"]);
  // The right message from the wrong window or origin: a frame on `other` inside the host page.
  await page.evaluate((otherUrl) => {
    const nested = document.createElement("iframe");
    nested.id = "stranger";
    nested.src = `${otherUrl}/__blank.html`;
    document.body.appendChild(nested);
    return new Promise((ok) => (nested.onload = ok));
  }, other.url);
  const stranger = page.frames().find((f) => f.url().startsWith(other.url));
  await stranger.evaluate(() => parent.frames[0].postMessage({ type: "gopherscope:request-size" }, "*"));
  await page.waitForTimeout(700);
  assert.deepEqual(await page.evaluate(() => window.got), [], `none of ${sent.count} malformed messages got an answer`);
  assert.deepEqual(await shown(), before, "the widget and its URL did not change");
  assert.deepEqual(page.errors, []);
  // A valid request is still answered.
  await page.evaluate(() => document.getElementById("f").contentWindow.postMessage({ type: "gopherscope:request-size" }, "*"));
  await page.waitForFunction(() => window.got.some((m) => m.data && m.data.type === "gopherscope:resize"));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** The host page `name` from tests/e2e/hosts, framing `src`. */
async function hostPage(name, src) {
  const page = await openPage(browser, { viewport: { width: 900, height: 700 } });
  await page.goto(`${host.url}/${name}.html?src=${encodeURIComponent(src)}`);
  const frame = page.frameLocator("#frame");
  await frame.locator("html[data-islands=live] main h1").waitFor({ state: "attached", timeout: 20000 });
  return { page, frame };
}

/** Waits until the iframe is as tall as its content (the embed's main). */
async function fitsContent(page) {
  const inner = page.frames().find((f) => f.url().startsWith(app.url));
  let want = 0;
  for (let i = 0; i < 100; i++) {
    want = await inner.evaluate(() => Math.ceil(document.getElementById("main").getBoundingClientRect().height));
    const have = await page.evaluate(() => document.getElementById("frame").style.height);
    if (have === `${want}px`) return want;
    await page.waitForTimeout(100);
  }
  assert.fail(`the frame should be ${want}px tall, the content's height; it is ${await page.evaluate(() => document.getElementById("frame").style.height)}`);
}

/** Answers the quiz's first question: feedback appears and the widget grows. */
async function growQuiz(frame) {
  await frame.locator("input[name=quiz-q0][value=b]").check();
  await frame.locator(".quiz-question >> nth=0 >> text=Check answer").click();
  await frame.locator(".quiz-question >> nth=0 >> .feedback").waitFor();
}

for (const protocol of ["h5p", "iframe-resize"]) {
  test(`a host that runs only the ${protocol} listener sizes the frame to its content, and follows it`, async () => {
    const src = `${app.url}/embed/quiz?origin=${encodeURIComponent(host.url)}&frame=q`;
    const { page, frame } = await hostPage(protocol, src);
    const first = await fitsContent(page);
    assert.ok(first > 150, `the quiz is taller than the frame's first 150 px (${first})`);
    await growQuiz(frame);
    const grown = await fitsContent(page);
    assert.ok(grown > first, `the frame followed the content: ${first}px -> ${grown}px`);
    // A narrower host window: the content reflows taller, the frame follows.
    await page.setViewportSize({ width: 420, height: 700 });
    const narrow = await fitsContent(page);
    assert.ok(narrow > grown, `narrower and taller: ${grown}px -> ${narrow}px`);
    await page.screenshot({ path: new URL(`./artifacts/host-${protocol}.png`, import.meta.url).pathname, fullPage: true });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test("the resize protocols keep the origin rules: an embed that names another origin is not sized", async () => {
  for (const protocol of ["h5p", "iframe-resize"]) {
    const src = `${app.url}/embed/quiz?origin=${encodeURIComponent(other.url)}&frame=q`;
    const { page } = await hostPage(protocol, src);
    await page.waitForTimeout(1000);
    assert.equal(await page.evaluate(() => document.getElementById("frame").style.height), "", `${protocol}: nothing reached the page`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

/** Every statement the host page got, validated. */
async function statements(page, at_least) {
  await page.waitForFunction(
    (n) => window.got.filter((m) => m.data && m.data.type === "gopherscope:statement").length >= n,
    at_least,
    { timeout: 10000 },
  );
  const all = await page.evaluate(() => window.got.filter((m) => m.data.type === "gopherscope:statement").map((m) => m.data.statement));
  for (const s of all) assertValidStatement(s);
  return all;
}

test("xAPI statements are valid, anonymous, have their own ids, plain-text names and the host's activity", async () => {
  const activity = "https://course.example/go/lesson-3";
  const quizSrc = `${app.url}/embed/quiz?origin=${encodeURIComponent(host.url)}&frame=q&activity=${encodeURIComponent(activity)}`;
  const page = await framePage(host.url, quizSrc);
  const frame = page.frameLocator("#f");
  // Answer all five (in written order the right answers are b, c, b, d, b).
  for (const [q, letter] of ["b", "a", "b", "d", "b"].entries()) {
    await frame.locator(`input[name=quiz-q${q}][value=${letter}]`).check();
    await frame.locator(`.quiz-question >> nth=${q} >> text=Check answer`).click();
  }
  const quiz = await statements(page, 6);
  assert.deepEqual(quiz.map((s) => s.verb.id.split("/").at(-1)), ["answered", "answered", "answered", "answered", "answered", "completed"]);
  assert.equal(new Set(quiz.map((s) => s.id)).size, 6, "each statement has its own id");
  for (const s of quiz) {
    assert.match(s.id, UUID);
    assert.deepEqual(s.actor, { objectType: "Agent", account: { homePage: app.url, name: quiz[0].actor.account.name } });
    assert.match(s.actor.account.name, UUID);
    assert.deepEqual(s.context.contextActivities.parent, [{ objectType: "Activity", id: activity }]);
    const texts = [s.object.definition.name["en-US"], ...(s.object.definition.choices ?? []).map((c) => c.description["en-US"])];
    for (const t of texts) assert.doesNotMatch(t, /`/, `plain text: ${t}`);
  }
  assert.equal(quiz[0].object.definition.name["en-US"], "Your service shows a high GCCPUFraction and collects very often. What should you try first?");
  assert.deepEqual(quiz[1].result, { success: false, response: "a" });
  assert.deepEqual(quiz[5].result.score, { raw: 4, min: 0, max: 5, scaled: 0.8 });
  const firstId = quiz[0].actor.account.name;

  // The id is kept for this browser: a reload answers under the same one.
  await page.reload();
  await page.evaluate((src) => {
    window.got = [];
    window.addEventListener("message", (e) => window.got.push({ origin: e.origin, data: e.data }));
    const f = document.createElement("iframe");
    f.id = "f";
    f.src = src;
    document.body.appendChild(f);
  }, quizSrc);
  const again = page.frameLocator("#f");
  await again.locator("text=Try again with shuffled options").click();
  await again.locator("input[name=quiz-q0]").first().check();
  await again.locator(".quiz-question >> nth=0 >> text=Check answer").click();
  const [kept] = await statements(page, 1);
  assert.equal(kept.actor.account.name, firstId, "the same browser keeps its anonymous id");

  // Reset, by keyboard: the next statement has a new id.
  const reset = again.locator("button", { hasText: "Reset anonymous id" });
  assert.match(await again.locator(".anonymous-id").textContent(), /random id, never your name/);
  await reset.focus();
  await page.keyboard.press("Enter");
  await again.locator(".anonymous-id-status", { hasText: "New anonymous id" }).waitFor();
  await page.evaluate(() => (window.got = []));
  await again.locator("input[name=quiz-q1]").first().check();
  await again.locator(".quiz-question >> nth=1 >> text=Check answer").click();
  const [fresh] = await statements(page, 1);
  assert.notEqual(fresh.actor.account.name, firstId, "reset gives a new anonymous id");
  assert.match(fresh.actor.account.name, UUID);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a checkpoint answer in an embedded scheduler is a valid statement too; a bad activity is left out and said", async () => {
  const src = `${app.url}/embed/scheduler?preset=spawn-order&n=3&predict=1&origin=${encodeURIComponent(host.url)}&frame=s&activity=lesson-3`;
  const page = await framePage(host.url, src);
  const frame = page.frameLocator("#f");
  assert.match(await frame.locator(".notice").first().textContent(), /activity parameter "lesson-3" is not an absolute web address/);
  await frame.locator("[aria-label='Step forward']").focus();
  for (let i = 0; i < 80 && !(await frame.locator(".checkpoint").count()); i++) await page.keyboard.press("ArrowRight");
  await frame.locator(".checkpoint input[type=radio]").first().check();
  await frame.locator("text=Check my prediction").click();
  const [s] = await statements(page, 1);
  assert.equal(s.verb.id, "http://adlnet.gov/expapi/verbs/answered");
  assert.match(s.object.id, new RegExp(`^${app.url}/checkpoint#`));
  assert.equal(s.context.contextActivities, undefined, "no parent activity from a malformed one");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("with storage blocked, the anonymous id lasts for the visit", async () => {
  const src = `${app.url}/embed/quiz?origin=${encodeURIComponent(host.url)}&frame=q`;
  const page = await openPage(browser);
  // Block localStorage in the embed's origin only.
  await page.context().addInitScript((appOrigin) => {
    if (location.origin === appOrigin) {
      Object.defineProperty(window, "localStorage", { get() { throw new DOMException("blocked", "SecurityError"); } });
    }
  }, app.url);
  await page.goto(`${host.url}/blank.html`);
  await page.evaluate((src) => {
    window.got = [];
    window.addEventListener("message", (e) => window.got.push({ origin: e.origin, data: e.data }));
    const f = document.createElement("iframe");
    f.id = "f";
    f.src = src;
    document.body.appendChild(f);
  }, src);
  const frame = page.frameLocator("#f");
  for (const q of [0, 1]) {
    await frame.locator(`input[name=quiz-q${q}]`).first().check();
    await frame.locator(`.quiz-question >> nth=${q} >> text=Check answer`).click();
  }
  const [a, b] = await statements(page, 2);
  assert.match(a.actor.account.name, UUID);
  assert.equal(a.actor.account.name, b.actor.account.name, "one id for the visit");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
