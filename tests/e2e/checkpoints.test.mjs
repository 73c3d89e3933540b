// Predict-then-reveal in every step widget besides the scheduler and the
// marking: the allocator, the stack, the interfaces explainer, the layout
// lab and the escape catalogue. Each checkpoint is off until its toggle is
// turned on (by keyboard; the URL keeps it), holds back what it asks
// about until the answer is in, is answered by keyboard, says right or
// wrong in a live region with a mark and words (not colour alone), keeps a
// score, hands focus to the feedback, and sends the embedding page a valid
// xAPI statement.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serve, launch, openPage, assertValidStatement } from "./harness.mjs";

const HOSTS = fileURLToPath(new URL("./hosts/", import.meta.url));

let app, host, browser;

before(async () => {
  app = await serve();
  host = await serve(HOSTS); // the course page: another origin
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of [app, host]) await s?.close();
});

/** A host page framing `/embed/<slug>`, recording the messages it gets. */
async function embed(slug, query = "") {
  const page = await openPage(browser);
  await page.goto(`${host.url}/blank.html`);
  const src = `${app.url}/embed/${slug}?${query}${query ? "&" : ""}origin=${encodeURIComponent(host.url)}&frame=c`;
  await page.evaluate((src) => {
    window.got = [];
    window.addEventListener("message", (e) => window.got.push(e.data));
    const f = document.createElement("iframe");
    f.id = "f";
    f.src = src;
    f.style.width = "100%";
    f.style.height = "1400px";
    document.body.appendChild(f);
  }, src);
  const ui = page.frameLocator("#f");
  await ui.locator("html[data-islands=live] main h1").waitFor({ state: "attached", timeout: 20000 });
  const frame = page.frames().find((f) => f.url().startsWith(app.url));
  return { page, ui, frame };
}

/** The frame's query value for `key` (null when absent). */
const param = (frame, key) => frame.evaluate((key) => new URLSearchParams(location.search).get(key), key);

/** Turns the checkpoint on by keyboard: it starts off, and the URL keeps it. */
async function turnOn(page, ui, frame, toggle, key) {
  const box = ui.locator(toggle);
  assert.equal(await box.isChecked(), false, "off by default");
  assert.equal(await ui.locator(".checkpoint").count(), 0, "no question while off");
  await box.focus();
  await page.keyboard.press("Space");
  await frame.waitForFunction((key) => new URLSearchParams(location.search).get(key) === "1", key);
  assert.equal(await box.isChecked(), true);
}

/**
 * Answers the open question by keyboard: focus the option labelled
 * `label`, Space to pick it, Tab to "Check my prediction", Enter.
 */
async function answer(page, ui, label) {
  const option = ui.locator(".checkpoint label", { hasText: label }).locator("input");
  assert.equal(await option.count(), 1, `one option reads ${label}`);
  await option.focus();
  await page.keyboard.press("Space");
  assert.equal(await option.isChecked(), true);
  await page.keyboard.press("Tab");
  for (let i = 0; i < 6; i++) {
    const focused = await ui.locator(":focus").textContent();
    if (focused === "Check my prediction") break;
    await page.keyboard.press("Tab");
  }
  assert.equal(await ui.locator(":focus").textContent(), "Check my prediction");
  await page.keyboard.press("Enter");
}

/**
 * The feedback after an answer: in the live region, told by a mark and a
 * word, with the score, and focused (the fieldset it came from is gone).
 */
async function feedback(ui, right, score) {
  const live = ui.locator(".checkpoint-live[aria-live=polite]");
  // The question goes when it is answered (an earlier answer's feedback
  // may still show until then).
  await live.locator(".checkpoint").waitFor({ state: "detached" });
  const fb = live.locator(".feedback");
  await ui.locator(".feedback:focus").waitFor({ timeout: 5000 });
  const text = await fb.textContent();
  assert.match(text, right ? /^✓ Right\. / : /^✗ Not quite\. /);
  assert.equal(await fb.getAttribute("class"), `feedback ${right ? "right" : "wrong"}`);
  assert.match(text, new RegExp(score.replace(/[.]/g, "\\.")));
  assert.equal(await ui.locator(".feedback:focus").count(), 1, "focus moved to the feedback");
  return text;
}

/** The statements the host page got so far, each one validated. */
async function statements(page, n) {
  await page.waitForFunction((n) => window.got.filter((m) => m && m.type === "gopherscope:statement").length >= n, n, {
    timeout: 10000,
  });
  const all = await page.evaluate(() => window.got.filter((m) => m.type === "gopherscope:statement").map((m) => m.statement));
  for (const s of all) assertValidStatement(s);
  return all;
}

/** A checkpoint statement: answered, its activity, its choices, the result. */
function assertAnswered(s, id, response, success, correct) {
  assert.equal(s.verb.id, "http://adlnet.gov/expapi/verbs/answered");
  assert.equal(s.object.id, `${app.url}/checkpoint#${id}`);
  const def = s.object.definition;
  assert.equal(def.interactionType, "choice");
  assert.ok(def.choices.some((c) => c.id === response), `${response} is one of the choices`);
  assert.deepEqual(def.correctResponsesPattern, [correct]);
  assert.deepEqual(s.result, { success, response });
}

test("allocator: which size class will this size land in? The step waits, the facts about it too", async () => {
  const { page, ui, frame } = await embed("allocator", "size=4&run=yours");
  await turnOn(page, ui, frame, "#alloc-predict", "alloc-predict");
  const legend = await ui.locator(".checkpoint legend").textContent();
  assert.equal(legend, "Predict: the next request is 4 B without pointers. Which size class will it land in?");
  // Held: Step and → do nothing; the summary above hides where 4 B lands.
  await ui.locator(".alloc-widget [aria-label='Step forward']").focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  assert.equal(await param(frame, "alloc-step"), null, "no step until the prediction is in");
  assert.match(await ui.locator(".alloc-summary").textContent(), /shows once you answer/);
  assert.equal(await ui.locator(".class-table tr.current").count(), 0, "no class marked");
  // The tempting answer is class 1 (8 B slots); the tiny allocator's
  // blocks are class 2.
  await answer(page, ui, "class 1 (8 B slots)");
  const text = await feedback(ui, false, "Score: 0 of 1 prediction right.");
  assert.match(text, /It lands in class 2\. .*tiny allocator/);
  const [s] = await statements(page, 1);
  assertAnswered(s, "alloc-size-class", "class-1", false, "class-2");
  assert.match(await ui.locator(".alloc-summary").textContent(), /tiny allocator/);
  assert.equal(await ui.locator(".class-table tr.current").getAttribute("data-class"), "2");
  // From the feedback, → steps on (the keys still reach the widget).
  await page.keyboard.press("ArrowRight");
  await frame.waitForFunction(() => new URLSearchParams(location.search).get("alloc-step") === "1");
  assert.match(await ui.locator(".alloc-widget .narration").textContent(), /Step 1:/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("stack: will this call grow the stack? Scored over several calls", async () => {
  const { page, ui, frame } = await embed("stack");
  await turnOn(page, ui, frame, "#stack-predict", "stack-predict");
  assert.match(
    await ui.locator(".checkpoint legend").textContent(),
    /^Predict: call 1 needs a 256-byte frame\. The stack is 2048 B with 200 B in use\. Will this call grow the stack\?$/,
  );
  await ui.locator(".stack-widget [aria-label='Step forward']").focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await param(frame, "stack-step"), null, "held at step 0");
  await answer(page, ui, "No: the frame fits");
  await feedback(ui, true, "Score: 1 of 1 prediction right.");
  await page.keyboard.press("ArrowRight");
  await frame.waitForFunction(() => new URLSearchParams(location.search).get("stack-step") === "1");
  // The next call is asked too; a wrong answer is scored as one.
  await ui.locator(".checkpoint").waitFor();
  assert.match(await ui.locator(".checkpoint legend").textContent(), /call 2 needs a 256-byte frame/);
  await ui.locator(".stack-widget [aria-label='Step forward']").focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await param(frame, "stack-step"), "1", "held at step 1");
  await answer(page, ui, "Yes: the runtime copies the stack");
  const text = await feedback(ui, false, "Score: 1 of 2 predictions right.");
  assert.match(text, /It fits\. Call 2 pushes a 256-byte frame/);
  const [a, b] = await statements(page, 2);
  assertAnswered(a, "stack-call-grows", "fits", true, "fits");
  assertAnswered(b, "stack-call-grows", "grows", false, "fits");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("interfaces: is err nil here? The typed-nil trap, asked before the line runs", async () => {
  const { page, ui, frame } = await embed("interfaces");
  await turnOn(page, ui, frame, "#iface-predict", "iface-predict");
  // Lines that set no interface ask nothing.
  await ui.locator(".iface-widget [aria-label='Step forward']").focus();
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await frame.waitForFunction(() => new URLSearchParams(location.search).get("step") === "2");
  await ui.locator(".checkpoint").waitFor();
  assert.equal(
    await ui.locator(".checkpoint legend").textContent(),
    "Predict: line 18 runs next: err := find(true). After it, is err nil?",
  );
  await page.keyboard.press("ArrowRight");
  assert.equal(await param(frame, "step"), "2", "held until answered");
  assert.equal(await ui.locator(".iface-var").count(), 0, "err's words are not drawn yet");
  await answer(page, ui, "No: err != nil");
  const text = await feedback(ui, true, "Score: 1 of 1 prediction right.");
  assert.match(text, /its type word is set/);
  const [s] = await statements(page, 1);
  assertAnswered(s, "iface-is-nil", "not-nil", true, "not-nil");
  await page.keyboard.press("ArrowRight");
  await frame.waitForFunction(() => new URLSearchParams(location.search).get("step") === "3");
  assert.match(await ui.locator(".iface-var").textContent(), /err != nil/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("layout lab: the struct's size before the grid is drawn", async () => {
  const { page, ui, frame } = await embed("layout-lab");
  assert.ok((await ui.locator(".layout-result .byte").count()) > 0, "drawn at once while off");
  await turnOn(page, ui, frame, "#layout-predict", "layout-predict");
  assert.equal(
    await ui.locator(".checkpoint legend").textContent(),
    "Predict: on amd64, how many bytes does one T take (what unsafe.Sizeof says)?",
  );
  assert.equal(await ui.locator(".layout-result .byte").count(), 0, "no grid until answered");
  assert.equal(await ui.locator(".layout-result table.fields").count(), 0, "no offsets either");
  assert.match(await ui.locator(".layout-held").textContent(), /drawn once you answer/);
  await answer(page, ui, "24 bytes");
  const text = await feedback(ui, true, "Score: 1 of 1 prediction right.");
  assert.match(text, /T is 24 bytes on amd64: its fields take 10 B/);
  const [s] = await statements(page, 1);
  assertAnswered(s, "layout-struct-size", "24", true, "24");
  assert.ok((await ui.locator(".layout-result .byte").count()) >= 24, "the grid is drawn");
  // Another type asks again; the feedback on T goes with it.
  await ui.locator("#layout-type").selectOption("Session");
  await ui.locator(".checkpoint").waitFor();
  assert.match(await ui.locator(".checkpoint legend").textContent(), /one Session take/);
  assert.equal(await ui.locator(".feedback").count(), 0);
  assert.equal(await ui.locator(".layout-result .byte").count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("escape: stack or heap, before the compiler's verdict", async () => {
  const { page, ui, frame } = await embed("escape");
  assert.equal(await ui.locator(".escape-verdict").count(), 1, "the verdict shows at once while off");
  await turnOn(page, ui, frame, "#escape-predict", "escape-predict");
  assert.equal(
    await ui.locator(".checkpoint legend").textContent(),
    "Predict: what does the compiler decide about line 7, p := point{1, 2}: stack or heap?",
  );
  assert.equal(await ui.locator(".escape-verdict").count(), 0, "no verdict until answered");
  await answer(page, ui, "It goes to the heap");
  const text = await feedback(ui, true, "Score: 1 of 1 prediction right.");
  assert.match(text, /the compiler says "moved to heap: p"/);
  await ui.locator(".escape-verdict").waitFor();
  const [s] = await statements(page, 1);
  assertAnswered(s, "escape-stack-or-heap", "heap", true, "heap");
  // The next example asks again, and the URL still asks.
  await ui.locator("#escape-case").selectOption("pass-down");
  await ui.locator(".checkpoint").waitFor();
  assert.equal(await ui.locator(".escape-verdict").count(), 0);
  assert.equal(await param(frame, "escape-predict"), "1");
  await answer(page, ui, "It stays on the stack");
  await feedback(ui, true, "Score: 2 of 2 predictions right.");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
