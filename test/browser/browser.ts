import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { AxeResults, Result } from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * Debian's Chromium, installed by .ci/run. Playwright's own browser builds are downloaded from a CDN this project
 * cannot reach, so the harness only ever launches this one.
 */
export const CHROMIUM = "/usr/bin/chromium";

export const SCREENSHOTS = join(process.cwd(), "test-artifacts", "screenshots");
export const PAGES = join(process.cwd(), "test-artifacts", "pages");

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Whether the browser tests run: where Chromium is installed, and always in CI (.ci/run installs it and sets
 * CLUE_REQUIRE_CHROMIUM), where a missing browser must fail the tests rather than skip them.
 */
export const browserTestsRun =
  chromiumInstalled() || Boolean(process.env.CI) || Boolean(process.env.CLUE_REQUIRE_CHROMIUM);

/** Launching takes seconds on a busy two-core machine; tests give their hooks this long. */
export const LAUNCH_TIMEOUT = 120_000;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root in CI has no user namespace sandbox; /dev/shm in containers is too small for Chromium's default.
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
    timeout: LAUNCH_TIMEOUT,
  });
}

/** A laptop's screen: the size pages must read well at. */
export const LAPTOP = { width: 1366, height: 768 };

export interface OpenedPage {
  page: Page;
  /** Removes the temporary file the page was loaded from, and closes its context. */
  close(): Promise<void>;
}

/**
 * Loads a document the way a person opens a report: from a file on disk, under the page's own Content-Security-Policy.
 * A page whose policy forbids scripts (the report) needs `bypassCSP` for axe to be injected into it.
 */
export async function openHtml(
  browser: Browser,
  document: string,
  options: { bypassCSP?: boolean } = {},
): Promise<OpenedPage> {
  const dir = await mkdtemp(join(tmpdir(), "clue-web-"));
  const file = join(dir, "page.html");
  await writeFile(file, document, "utf8");
  const context = await browser.newContext({
    viewport: LAPTOP,
    bypassCSP: options.bypassCSP ?? false,
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return {
    page,
    close: async () => {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let axeSource: string | undefined;

async function axeScript(): Promise<string> {
  axeSource ??= await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  return axeSource;
}

/** A violation reduced to what a failing assertion needs to say where and why. */
export interface Violation {
  id: string;
  impact: Result["impact"];
  help: string;
  targets: string[];
}

/** Runs axe-core over the page, with every rule it has (WCAG A/AA and best practices), and returns what failed. */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: await axeScript() });
  // The test project has no DOM typings (src must not use them), so the page's globals are described here.
  const results = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run(),
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}

/** Saves a full-page screenshot under test-artifacts/screenshots/, for a person to look at after the run. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Keeps the document a test opened under test-artifacts/pages/, to open in a browser when a test fails. */
export async function savePage(name: string, document: string): Promise<string> {
  await mkdir(PAGES, { recursive: true });
  const path = join(PAGES, `${name}.html`);
  await writeFile(path, document, "utf8");
  return path;
}
