// Shared pieces of the end-to-end tests: a static server for dist/ as a
// static host serves it (files, folders by their index.html, anything else
// the not-found page with status 404), Debian's Chromium through
// playwright-core, a console-error collector and the axe-core audit.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
export const DIST = process.env.GOPHERSCOPE_DIST ?? new URL("../../dist", import.meta.url).pathname;
const CHROMIUM = process.env.GOPHERSCOPE_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".wasm": "application/wasm",
  ".css": "text/css",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

// --- Content Security Policy (csp.test.mjs checks every document under it) ---
/** The policy the site must work under (README, "Hosting it yourself"). */
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
/** Host pages (a course page on another origin) load embed.js and frame the site from another port. */
const HOST_CSP = CSP.replace("script-src 'self'", "script-src 'self' http://127.0.0.1:*") + "; frame-src *";
const HOST_PAGES = new Set(["/__blank.html", "/course-example.html"]);
// --- end of the policy ---

/**
 * Serves `root` on a free loopback port; unknown paths get 404.html. The
 * site (`DIST`) is served under the strict policy; any other root plays a
 * third-party course site (host pages, the mdBook) and gets none, as such a
 * host would not.
 */
export async function serve(root = DIST) {
  const strict = normalize(root) === normalize(DIST);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (strict) res.setHeader("content-security-policy", HOST_PAGES.has(path) ? HOST_CSP : CSP);
    if (path === "/__blank.html") {
      // An empty page on this origin, for tests that build their own host page.
      res.writeHead(200, { "content-type": TYPES[".html"] });
      res.end("<!doctype html><html lang=en><title>blank</title><body></body></html>");
      return;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(normalize(root))) {
      res.writeHead(403).end();
      return;
    }
    let status = 200;
    const isFile = async (f) => (await stat(f).catch(() => null))?.isFile() ?? false;
    if (!(await isFile(file))) {
      if (await isFile(join(file, "index.html"))) {
        file = join(file, "index.html");
      } else {
        file = join(root, "404.html");
        status = 404;
      }
    }
    const body = await readFile(file).catch(() => null);
    if (body === null) {
      // A host site without a not-found page of its own.
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(status, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A page that records console errors and uncaught exceptions. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") page.errors.push(msg.text());
  });
  page.on("pageerror", (err) => page.errors.push(String(err)));
  return page;
}

/** Loads `url` and waits until the wasm has mounted the page's widgets. */
export async function load(page, url) {
  await page.goto(url);
  await page.waitForSelector("html[data-islands=live] main h1", { timeout: 20000 });
}

// ---- xAPI statements: every captured statement goes through the validator ----
const validateXapi = require("xapi-validation").default;
let statementsValidated = 0;

/** Fails with xapi-validation's warnings unless `statement` is valid xAPI. */
export function assertValidStatement(statement) {
  const warnings = validateXapi(statement).map((w) => `${w.path.join(".")}: ${w.message} (${w.typeName ?? w.name})`);
  if (warnings.length) {
    throw new Error(`invalid xAPI statement:\n  ${warnings.join("\n  ")}\n${JSON.stringify(statement, null, 2)}`);
  }
  statementsValidated++;
}

process.on("exit", () => {
  if (statementsValidated) console.log(`xapi-validation: ${statementsValidated} statements valid`);
});
// ---- end of xAPI statements ----

const AXE_SOURCE = require("axe-core").source;

/** Runs axe-core; returns the serious and critical violations. */
export async function audit(page) {
  // Evaluated, not an inline <script>: the site's policy blocks those.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { resultTypes: ["violations"] });
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** The site's pages, read from the navigation the registry drives. */
export async function pagePaths(page, base) {
  await load(page, base + "/");
  return page.$$eval("nav[aria-label=Pages] a", (as) => as.map((a) => a.getAttribute("href")));
}

/** The embeddable widgets, read from the embed not-found page's list. */
export async function embedPaths(page, base) {
  await load(page, base + "/embed/no-such-widget");
  return page.$$eval("[data-embed-list] a", (as) => as.map((a) => a.getAttribute("href")));
}
