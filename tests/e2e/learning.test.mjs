// The learning path in a real browser: the quiz by keyboard, its saved
// progress (also when storage is corrupt or blocked), "copy link", and the
// embeds: the example course page on another origin, its resize and xAPI
// messages, and the origin rules both ways.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, openPage, load, assertValidStatement } from "./harness.mjs";

let app, host, other, browser;

before(async () => {
  app = await serve();
  host = await serve(); // the course site: another loopback port, another origin
  other = await serve(); // a third origin that nobody named
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of [app, host, other]) await s?.close();
});

// In written order the right answers are b, c, b, d, b.
const RIGHT = [1, 2, 1, 3, 1];

/** Answers question q by keyboard with the option at display position pos. */
async function answerByKeyboard(page, q, pos) {
  for (let i = 0; i < 60; i++) {
    const here = await page.evaluate(() => document.activeElement?.name ?? "");
    if (here === `quiz-q${q}`) break;
    await page.keyboard.press("Tab");
  }
  assert.equal(await page.evaluate(() => document.activeElement?.name), `quiz-q${q}`, `Tab reaches question ${q + 1}`);
  if (pos === 0) await page.keyboard.press("Space");
  for (let i = 0; i < pos; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Check answer");
  await page.keyboard.press("Enter");
}

test("the quiz is operable by keyboard alone, scores out of 5 and announces it", async () => {
  const page = await openPage(browser);
  await load(page, app.url + "/quiz");
  const plan = [true, true, true, false, false];
  for (let q = 0; q < 5; q++) {
    await answerByKeyboard(page, q, plan[q] ? RIGHT[q] : (RIGHT[q] + 1) % 4);
  }
  await page.waitForFunction(() => document.querySelector(".score strong")?.textContent === "Score: 3 / 5");
  const live = await page.textContent(".quiz-widget [aria-live=polite]");
  assert.match(live, /Quiz finished: 3 out of 5/);
  assert.equal(await page.locator(".feedback.right").count(), 3);
  assert.equal(await page.locator(".feedback.wrong").count(), 2);
  assert.equal(await page.locator(".option.wrong .mark").count(), 2, "wrong picks are marked in words");
  // Progress survives a reload.
  await page.reload();
  await page.waitForSelector("html[data-islands=live] main h1");
  assert.equal(await page.textContent(".score strong"), "Score: 3 / 5");
  assert.match(await page.textContent(".score"), /best 3 \/ 5/);
  // Retry: the options come back shuffled and unanswered.
  const before = await page.$$eval("input[type=radio]", (xs) => xs.map((x) => x.name + x.value).join());
  await page.click("text=Try again with shuffled options");
  await page.waitForFunction(() => document.querySelector(".score strong")?.textContent === "Score: 0 / 5");
  const afterOrder = await page.$$eval("input[type=radio]", (xs) => xs.map((x) => x.name + x.value).join());
  assert.notEqual(afterOrder, before, "options are shuffled");
  assert.match(await page.textContent(".score"), /attempt 2/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// The site test checks every page at 360 px as loaded; a checked answer adds
// a mark beside a long option, which must not widen the page either.
test("the answered quiz still fits a 360 px phone", async () => {
  const page = await openPage(browser, { viewport: { width: 360, height: 740 } });
  await load(page, app.url + "/quiz");
  for (let q = 0; q < 5; q++) {
    await page.check(`input[name=quiz-q${q}] >> nth=${(RIGHT[q] + 1) % 4}`);
    await page.click(`text=Check answer >> nth=${q}`);
  }
  await page.waitForFunction(() => document.querySelectorAll(".feedback").length === 5);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the answered quiz is ${overflow}px too wide at 360px`);
  await page.close();
});

test("corrupt, full or blocked storage leaves the quiz working, with a notice", async () => {
  const cases = {
    corrupt: () => localStorage.setItem("gopherscope.quiz.v1", "{not: our format}"),
    // Every write refused as a full disk refuses it.
    full: () => {
      Storage.prototype.setItem = function () {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    },
    blocked: () =>
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("blocked", "SecurityError");
        },
      }),
  };
  const says = { corrupt: /could not be read/, full: /storage is full/, blocked: /blocked/ };
  for (const [name, script] of Object.entries(cases)) {
    const page = await openPage(browser);
    await page.addInitScript(script);
    await load(page, app.url + "/quiz");
    const notice = await page.textContent(".quiz-widget .notice");
    assert.match(notice, says[name], name);
    await page.check(`input[name=quiz-q0][value=b]`);
    await page.click(".quiz-question >> nth=0 >> text=Check answer");
    await page.waitForSelector(".feedback.right");
    assert.equal(await page.textContent(".score strong"), "Score: 1 / 5", name);
    await page.context().close();
  }
});

test("corrupt, full or blocked storage leaves the anonymous id working, with a notice", async () => {
  const cases = {
    corrupt: () => localStorage.setItem("gopherscope:anonymous-id", "{not an id}"),
    full: () => {
      Storage.prototype.setItem = function () {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    },
    blocked: () =>
      Object.defineProperty(window, "localStorage", {
        get() {
          throw new DOMException("blocked", "SecurityError");
        },
      }),
  };
  const says = { corrupt: /could not be read/, full: /storage is full/, blocked: /storage is blocked/ };
  for (const [name, script] of Object.entries(cases)) {
    const page = await openPage(browser);
    await page.addInitScript(script);
    await load(page, app.url + "/embed/quiz");
    assert.match(await page.textContent(".anonymous-id-notice"), says[name], name);
    // The id is there all the same, and resetting it works.
    const before = await page.textContent(".anonymous-id code");
    assert.match(before, /^[0-9a-f]{8}…$/, name);
    await page.click("text=Reset anonymous id");
    await page.waitForFunction((b) => document.querySelector(".anonymous-id code")?.textContent !== b, before);
    // A corrupt value is replaced and kept; full or blocked storage still cannot keep it.
    const notices = await page.$$(".anonymous-id-notice");
    assert.equal(notices.length, name === "corrupt" ? 0 : 1, name);
    // The quiz answers as ever.
    await page.check(`input[name=quiz-q0][value=b]`);
    await page.click(".quiz-question >> nth=0 >> text=Check answer");
    await page.waitForSelector(".feedback.right");
    assert.deepEqual(page.errors, [], name);
    await page.context().close();
  }
});

test("copy link puts a URL on the clipboard that restores the widget's state", async () => {
  const page = await openPage(browser);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  await load(page, app.url + "/values");
  await page.selectOption("#goarch-select", "arm");
  await page.waitForFunction(() => location.search === "?goarch=arm");
  await page.click("text=Copy link");
  await page.waitForSelector("text=Link copied");
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const fresh = await openPage(browser);
  await load(fresh, link);
  assert.equal(await fresh.inputValue("#goarch-select"), "arm");
  assert.equal(await fresh.textContent("tr[data-kind=string] td.size"), "8");
  await page.context().close();
  await fresh.context().close();
});

test("the example course page on another origin sizes its embeds and receives xAPI statements", async () => {
  const page = await openPage(browser);
  await page.goto(`${host.url}/course-example.html?gopherscope=${encodeURIComponent(app.url)}`);
  // Resize messages from every frame, from the app's origin, with a height.
  await page.waitForFunction(() => new Set(window.received.filter((m) => m.data.type === "gopherscope:resize").map((m) => m.data.frame)).size >= 7, null, { timeout: 20000 });
  const resizes = await page.evaluate(() => window.received.filter((m) => m.data.type === "gopherscope:resize"));
  for (const m of resizes) {
    assert.equal(m.origin, app.url);
    assert.equal(typeof m.data.height, "number");
    assert.ok(m.data.height > 50, `height ${m.data.height}`);
    assert.match(m.data.widget, /^(scheduler|gc-pacer|value-table|quiz)$/);
  }
  // A plain iframe took the height it reported.
  const last = resizes.filter((m) => m.data.frame === "direct-values").at(-1);
  await page.waitForFunction((h) => document.getElementById("direct-values").style.height === `${Math.ceil(h)}px`, last.data.height);
  // embed.js sized its frames too (no longer its 420 px default).
  const quizFrame = page.locator("#quiz iframe");
  await page.waitForFunction(() => document.querySelector("#quiz iframe").style.height !== "420px");
  // Answer in the quiz frame: the course page gets an xAPI statement.
  const quiz = page.frameLocator("#quiz iframe");
  await quiz.locator("input[name=quiz-q0][value=b]").check();
  await quiz.locator(".quiz-question >> nth=0 >> text=Check answer").click();
  await page.waitForFunction(() => window.received.some((m) => m.data.type === "gopherscope:statement"));
  const st = await page.evaluate(() => window.received.find((m) => m.data.type === "gopherscope:statement"));
  assert.equal(st.origin, app.url);
  const s = st.data.statement;
  assertValidStatement(s);
  assert.equal(s.actor.objectType, "Agent");
  assert.equal(s.actor.account.homePage, app.url);
  assert.match(s.actor.account.name, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "an anonymous random id");
  assert.deepEqual(Object.keys(s.actor).sort(), ["account", "objectType"], "no name, no e-mail");
  assert.equal(s.verb.id, "http://adlnet.gov/expapi/verbs/answered");
  assert.equal(s.object.id, `${app.url}/quiz#gc-pressure`);
  assert.equal(s.object.definition.interactionType, "choice");
  assert.deepEqual(s.object.definition.correctResponsesPattern, ["b"]);
  assert.deepEqual(s.result, { success: true, response: "b" });
  assert.ok(!Number.isNaN(Date.parse(s.timestamp)));
  // embed.js re-dispatched it on the element; the page logged it.
  await page.waitForFunction(() => document.getElementById("log").textContent.includes("answered"));
  assert.ok(await quizFrame.isVisible());
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** A page on `origin` holding one iframe of `src`, recording what it receives. */
async function framePage(origin, src) {
  const page = await openPage(browser);
  await page.goto(`${origin}/__blank.html`);
  await page.evaluate((src) => {
    window.got = [];
    window.addEventListener("message", (e) => window.got.push({ origin: e.origin, type: e.data && e.data.type }));
    const f = document.createElement("iframe");
    f.id = "f";
    f.src = src;
    document.body.appendChild(f);
  }, src);
  await page.frameLocator("#f").locator("main h1").waitFor({ state: "attached" });
  return page;
}

test("messages go only to the origin the host names, and only it may ask", async () => {
  // The embed names `host` as its parent, but sits on `other`: nothing arrives.
  const misplaced = await framePage(other.url, `${app.url}/embed/value-table?origin=${encodeURIComponent(host.url)}&frame=x`);
  // The same embed on `host` does get its resize message.
  const placed = await framePage(host.url, `${app.url}/embed/value-table?origin=${encodeURIComponent(host.url)}&frame=x`);
  await placed.waitForFunction(() => window.got.some((m) => m.type === "gopherscope:resize"));
  await misplaced.waitForTimeout(500);
  assert.deepEqual(await misplaced.evaluate(() => window.got), []);

  // A size request from the named origin is answered; from another it is ignored.
  const ask = (page) =>
    page.evaluate(() => {
      window.got = [];
      document.getElementById("f").contentWindow.postMessage({ type: "gopherscope:request-size" }, "*");
    });
  await ask(placed);
  await placed.waitForFunction(() => window.got.some((m) => m.type === "gopherscope:resize"));
  const stranger = await framePage(other.url, `${app.url}/embed/value-table?origin=${encodeURIComponent(host.url)}&frame=y`);
  await ask(stranger);
  await stranger.waitForTimeout(500);
  assert.deepEqual(await stranger.evaluate(() => window.got), []);
  for (const p of [misplaced, placed, stranger]) await p.context().close();
});

test("a malformed embed origin shows a notice and sends nothing", async () => {
  const page = await framePage(host.url, `${app.url}/embed/value-table?origin=javascript%3Aalert(1)&goarch=wasm`);
  const frame = page.frameLocator("#f");
  await frame.locator(".notice").waitFor();
  assert.match(await frame.locator(".notice").first().textContent(), /is not an origin like/);
  assert.equal(await frame.locator("#goarch-select").inputValue(), "wasm", "the widget itself still works");
  await page.waitForTimeout(500);
  assert.deepEqual(await page.evaluate(() => window.got), []);
  await page.context().close();
});

test("every widget's copy link restores exactly what was on screen", async () => {
  // A non-default state for each widget; the copied link must reopen it.
  const states = {
    scheduler: "preset=work-stealing&gomaxprocs=3&seed=5&step=40",
    "gc-marking": "preset=stack-only-pointer&barrier=dijkstra&step=9",
    "gc-pacer": "preset=leak&gogc=200&gomemlimit=384MiB",
    allocator: "size=1000&pointers=1&alloc-step=7",
    stack: "frame-bytes=300&depth=40&stack-step=12",
    escape: "escape=closure-capture",
    "layout-lab": "goarch=arm&type=T",
    interfaces: "snippet=compare&step=4",
    "value-table": "goarch=wasm",
    "build-explorer": "program=netserver&cgo=1&strip=1",
  };
  const page = await openPage(browser);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  for (const [widget, query] of Object.entries(states)) {
    await load(page, `${app.url}/embed/${widget}?${query}`);
    await page.waitForTimeout(300);
    // The layout lab says how long the layout took: timing, not state.
    const view = () => page.evaluate(() => document.querySelector("main").innerText.replace(/laid out in [\d.]+ ms/, "laid out in … ms"));
    const shown = await view();
    await page.click("main >> text=Copy link");
    await page.waitForSelector("text=Link copied");
    const link = await page.evaluate(() => navigator.clipboard.readText());
    const fresh = await openPage(browser);
    await load(fresh, link);
    await fresh.waitForTimeout(300);
    const again = await fresh.evaluate(() => document.querySelector("main").innerText.replace(/laid out in [\d.]+ ms/, "laid out in … ms"));
    assert.equal(again.replace("Link copied: it opens this exact view.", ""), shown, `${widget}: the copied link restores the view`);
    await fresh.context().close();
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
