// A real course page: the tiny mdBook in tests/mdbook, built with the real
// mdbook and served on its own origin, embeds two widgets with embed.js and
// one as a plain iframe. In Chromium, each loads and takes its content's
// height; the quiz's answer reaches the book as a valid xAPI statement, and
// the value table answers a size request.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir, homedir } from "node:os";
import { join, delimiter } from "node:path";
import { fileURLToPath } from "node:url";
import { serve, launch, openPage, assertValidStatement, ARTIFACTS } from "./harness.mjs";

const BOOK = fileURLToPath(new URL("../mdbook/", import.meta.url));

let app, book, browser, work;

/** Builds the book with the real mdbook, for a site at `site` and a book at `self`. */
async function buildBook(site, self, out) {
  const src = join(work, "src");
  await cp(BOOK, src, { recursive: true });
  const chapter = join(src, "src/lesson-3.md");
  const text = await readFile(chapter, "utf8");
  await writeFile(chapter, text.replaceAll("https://gopherscope.example", site).replaceAll("https://course.example", self));
  const PATH = [join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "bin"), process.env.PATH].join(delimiter);
  const run = spawnSync("mdbook", ["build", src, "--dest-dir", out], { encoding: "utf8", env: { ...process.env, PATH } });
  if (run.error || run.status !== 0) {
    throw new Error(`mdbook build failed (install it with cargo xtask setup): ${run.error ?? ""}${run.stderr}`);
  }
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), "gopherscope-book-"));
  const out = join(work, "book");
  app = await serve();
  book = await serve(out); // the book's own origin, as a course site would be
  await buildBook(app.url, book.url, out);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  for (const s of [app, book]) await s?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Waits until the iframe `selector` is as tall as its content. The reader
 * scrolls to it first: Chromium does not lay out a cross-origin frame that
 * is off screen, so its later changes are reported once it is in view.
 */
async function fitsContent(page, selector, frameUrl) {
  await page.$eval(selector, (f) => f.scrollIntoView());
  const inner = page.frames().find((f) => f.url().startsWith(frameUrl));
  assert.ok(inner, `a frame at ${frameUrl}`);
  let want = 0;
  let have = "";
  for (let i = 0; i < 150; i++) {
    want = await inner.evaluate(() => Math.ceil(document.getElementById("main")?.getBoundingClientRect().height ?? 0));
    have = await page.$eval(selector, (f) => f.style.height);
    if (want > 0 && have === `${want}px`) return want;
    await page.waitForTimeout(100);
  }
  assert.fail(`${selector} should be ${want}px tall, its content's height; it is ${have}`);
}

test("an mdBook course page embeds two widgets with embed.js and one plain iframe; they load, resize and answer", async () => {
  const page = await openPage(browser, { viewport: { width: 1100, height: 900 } });
  await page.goto(`${book.url}/lesson-3.html`);
  await page.evaluate(() => {
    window.statements = [];
    window.resizes = [];
    document.addEventListener("gopherscope:statement", (e) => window.statements.push(e.detail));
    window.addEventListener("message", (e) => {
      if (e.data && e.data.type === "gopherscope:resize") window.resizes.push(e.data.frame);
    });
  });
  const table = "[data-gopherscope=value-table] iframe";
  const quiz = "[data-gopherscope=quiz] iframe";
  for (const sel of [table, quiz]) await page.waitForSelector(sel);
  const tableFrame = page.frameLocator(table);
  const quizFrame = page.frameLocator(quiz);
  await tableFrame.locator("html[data-islands=live] #goarch-select").waitFor({ timeout: 20000 });
  await quizFrame.locator("html[data-islands=live] .quiz").waitFor({ timeout: 20000 });
  // The plain iframe loads its widget too.
  await page.frameLocator("iframe#scheduler").locator("html[data-islands=live] .scheduler-widget").waitFor({ timeout: 20000 });
  assert.equal(await tableFrame.locator("#goarch-select").inputValue(), "arm", "data-params reached the widget");

  // Both embed.js frames take their content's height (not embed.js's 420 px).
  const tableUrl = `${app.url}/embed/value-table`;
  const quizUrl = `${app.url}/embed/quiz`;
  const tableHeight = await fitsContent(page, table, tableUrl);
  const quizHeight = await fitsContent(page, quiz, quizUrl);
  assert.notEqual(tableHeight, 420);
  assert.notEqual(quizHeight, 420);

  // The quiz answers: the book gets a valid statement, and the frame grows with the feedback.
  await quizFrame.locator("input[name=quiz-q0][value=b]").check();
  await quizFrame.locator(".quiz-question >> nth=0 >> text=Check answer").click();
  await page.waitForFunction(() => window.statements.length >= 1);
  const [s] = await page.evaluate(() => window.statements);
  assertValidStatement(s);
  assert.equal(s.verb.id, "http://adlnet.gov/expapi/verbs/answered");
  assert.deepEqual(s.result, { success: true, response: "b" });
  assert.ok((await fitsContent(page, quiz, quizUrl)) > quizHeight, "the frame grew with the feedback");

  // The value table answers a size request from the book.
  const frameId = await page.$eval(table, (f) => new URL(f.src).searchParams.get("frame"));
  await page.evaluate(() => (window.resizes = []));
  await page.$eval(table, (f) => f.contentWindow.postMessage({ type: "gopherscope:request-size" }, "*"));
  await page.waitForFunction((id) => window.resizes.includes(id), frameId);

  // What a reader sees at each frame (a full-page shot leaves off-screen frames blank).
  for (const [sel, name] of [[table, "table"], [quiz, "quiz"], ["iframe#scheduler", "iframe"]]) {
    await page.$eval(sel, (f) => f.scrollIntoView());
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, `mdbook-${name}.png`) });
  }
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
