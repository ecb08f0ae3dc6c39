import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSON_INPUTS } from "../example-inputs.js";
import {
  axeViolations,
  browserTestsRun,
  LAUNCH_TIMEOUT,
  launchBrowser,
  openHtml,
  savePage,
  screenshot,
  type OpenedPage,
} from "./browser.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const INPUTS = PERSON_INPUTS;

const clue = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(repo, "bin/clue.js"), ...args], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" },
  });
const git = (dir: string, ...args: string[]) =>
  spawnSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
    cwd: dir,
    encoding: "utf8",
  });

/**
 * The example project in a git repository, then one validation made stricter in the working tree (last names of at
 * least 6 letters), so that the report run with --base HEAD has a pass rate that went down.
 */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-report-"));
  cpSync(join(repo, "config"), join(dir, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(dir, "env"), { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "example");
  const path = join(dir, "config/validations/person.yaml");
  writeFileSync(
    path,
    readFileSync(path, "utf8").replace(
      "check: { length: { min: 2, max: 80 } }",
      "check: { length: { min: 6, max: 80 } }",
    ),
  );
  return dir;
}

/** What `clue run` says of the same inputs: its summary lines and its data-quality table. */
function runFigures(dir: string) {
  const run = clue(dir, "run", ...INPUTS, "--stage", "golden", "--out", join(dir, "golden.jsonl"));
  expect(run.status, run.stderr).toBe(0);
  const totals = /clue run: (\d+) records read, (\d+) validated and matched, (\d+) removed by cleaning/.exec(
    run.stderr,
  );
  const matches = /matches: (\d+) records, (\d+) pairs compared, (\d+) merged, (\d+) queued/.exec(run.stderr);
  const golden = /golden: (\d+) golden records/.exec(run.stderr);
  const validated = clue(
    dir,
    "run",
    ...INPUTS,
    "--stage",
    "validated",
    "--out",
    join(dir, "validated.jsonl"),
  );
  const rates = new Map(
    [...validated.stderr.matchAll(/^Person\s+(\w+)\s+\d+\s+\d+\s+([\d.]+%)/gm)].map((m) => [
      m[1] as string,
      m[2] as string,
    ]),
  );
  expect(totals && matches && golden, run.stderr).toBeTruthy();
  return {
    read: totals?.[1],
    validated: totals?.[2],
    removed: totals?.[3],
    compared: matches?.[2],
    merged: matches?.[3],
    queued: matches?.[4],
    golden: golden?.[1],
    rates,
  };
}

describe.skipIf(!browserTestsRun)("clue report in Chromium", () => {
  let dir: string;
  let browser: Browser;
  let opened: OpenedPage;
  let page: Page;
  let document: string;
  let figures: ReturnType<typeof runFigures>;

  beforeAll(async () => {
    dir = project();
    const made = clue(
      dir,
      "report",
      ...INPUTS,
      "--labels",
      "config/tests/labels/person.csv",
      "--base",
      "HEAD",
      "--out",
      "report.html",
    );
    expect(made.status, made.stderr).toBe(0);
    expect(made.stderr).toBe("clue report: wrote report.html.\n");
    document = readFileSync(join(dir, "report.html"), "utf8");
    await savePage("report", document);
    figures = runFigures(dir);
    browser = await launchBrowser();
    // The report forbids every script; axe is injected with the policy bypassed, after the checks below.
    opened = await openHtml(browser, document, { bypassCSP: true });
    page = opened.page;
  }, LAUNCH_TIMEOUT);

  afterAll(async () => {
    await opened?.close();
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("is one file that loads nothing and runs nothing", () => {
    expect(document).not.toMatch(/<script|<link|<img|<iframe|https?:\/\/(?!www\.w3\.org)/i);
    expect(document).toContain("script-src 'none'".replaceAll("'", "&#39;"));
    expect(document).toContain("connect-src &#39;none&#39;");
  });

  it("shows the numbers clue run gives for the same inputs", async () => {
    const stat = async (label: string) =>
      (
        await page
          .locator(".stat", { has: page.locator(`dt:text-is("${label}")`) })
          .locator(".stat-value")
          .textContent()
      )?.replace(/,/g, "");
    expect(await stat("Records read")).toBe(figures.read);
    expect(await stat("Removed by cleaning")).toBe(figures.removed);
    expect(await stat("Pairs compared")).toBe(figures.compared);
    expect(await stat("Merged")).toBe(figures.merged);
    expect(await stat("Queued for review")).toBe(figures.queued);
    expect(await stat("Golden records")).toBe(figures.golden);
    // Every validation's pass rate as clue run's table prints it.
    const rows: string[][] = [];
    for (const tr of await page.locator("#validations tbody tr").all())
      rows.push(await tr.locator("th, td").allTextContents());
    expect(rows.length).toBe(figures.rates.size);
    for (const [rule, , , , rate] of rows) expect(rate, rule).toBe(figures.rates.get(rule ?? ""));
  });

  it("draws the charts as labelled SVGs whose figures agree with the run", async () => {
    const charts = page.locator('figure.chart svg[role="img"]');
    // Pass rates, scores, cluster sizes, blocking cost, the threshold curve.
    expect(await charts.count()).toBe(5);
    for (const svg of await charts.all()) await expect.poll(() => svg.isVisible()).toBe(true);
    const scores = (await page.locator("#scores svg").getAttribute("aria-label")) ?? "";
    // Every pair compared is scored but one: c_3 and c_9, which a never_merge decision vetoes before scoring.
    expect(scores).toContain(`Histogram of ${Number(figures.compared) - 1} match scores`);
    expect(await page.locator("#scores figcaption").textContent()).toContain(
      "1 more was compared but a never_merge decision vetoed it",
    );
    expect(scores).toContain(`${figures.merged} at or above the auto-approve threshold 0.97`);
    expect(scores).toContain(`${figures.queued} from the queue threshold 0.85`);
    const clusters = (await page.locator("#clusters svg").getAttribute("aria-label")) ?? "";
    expect(clusters).toContain(`${figures.golden} clusters`);
    expect(await page.locator("#scores svg .mark-rect path, #scores svg path").count()).toBeGreaterThan(0);
  });

  it("marks the validation that got worse since the base revision", async () => {
    const row = page.locator("#validations tbody tr", { hasText: "person_last_name_length" });
    expect(await row.textContent()).toContain("worse than the base");
    expect(await page.locator("#validations").textContent()).toContain(
      "Worse than HEAD: person_last_name_length.",
    );
  });

  it("measures the labelled pairs against the threshold", async () => {
    const text = (await page.locator("#accuracy").textContent()) ?? "";
    expect(text).toContain("14 labelled pairs from config/tests/labels/person.csv");
    expect(text).toContain("Best F1 0.947 at threshold 0.9");
  });

  it("passes axe, and is kept as a screenshot", async () => {
    await screenshot(page, "report");
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe("clue report refuses what it must", () => {
  it("needs --out, and says when the labels cannot be read", () => {
    const missing = clue(repo, "report", ...INPUTS);
    expect(missing.status).toBe(64);
    expect(missing.stderr).toContain("name the HTML file to write: --out report.html");
    const dir = mkdtempSync(join(tmpdir(), "clue-report-bad-"));
    const labels = clue(
      repo,
      "report",
      ...INPUTS,
      "--labels",
      join(dir, "nope.csv"),
      "--out",
      join(dir, "r.html"),
    );
    expect(labels.status).toBe(1);
    expect(labels.stderr).toContain(`clue report: cannot read --labels ${join(dir, "nope.csv")}`);
    const overwrite = clue(repo, "report", ...INPUTS, "--out", "config/samples/billing.csv");
    expect(overwrite.status).toBe(64);
    rmSync(dir, { recursive: true, force: true });
  });
});
