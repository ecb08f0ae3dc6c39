import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSON_INPUTS } from "../example-inputs.js";
import {
  axeViolations,
  browserTestsRun,
  LAPTOP,
  LAUNCH_TIMEOUT,
  launchBrowser,
  screenshot,
} from "./browser.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const INPUTS = PERSON_INPUTS;
const DEDUP = "config/dedup/person.yaml";

const git = (dir: string, ...args: string[]) =>
  spawnSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" },
  });

/** The example project in a temp git repository, with a steward's name in its git config. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-review-app-"));
  cpSync(join(repo, "config"), join(dir, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(dir, "env"), { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.name", "Sam Steward");
  git(dir, "config", "user.email", "sam@example.com");
  git(dir, "add", "-A");
  git(dir, "-c", "commit.gpgsign=false", "commit", "-qm", "example");
  return dir;
}

interface App {
  child: ChildProcess;
  url: string;
  stderr: () => string;
}

/** Starts the real `clue review` and waits for the one line with its URL. */
function startReview(dir: string, extra: string[] = []): Promise<App> {
  const child = spawn(
    process.execPath,
    [join(repo, "bin/clue.js"), "review", "--no-open", ...INPUTS, ...extra],
    {
      cwd: dir,
      env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)\n/.exec(stdout);
      if (line) resolve({ child, url: line[1] as string, stderr: () => stderr });
    });
    child.on("exit", (code) =>
      reject(new Error(`clue review exited ${code} before printing its URL:\n${stderr}`)),
    );
  });
}

function stop(app: App): Promise<number | null> {
  return new Promise((resolve) => {
    app.child.on("exit", (code) => resolve(code));
    app.child.kill("SIGINT");
  });
}

const today = () => new Date().toISOString().slice(0, 10);

describe.skipIf(!browserTestsRun)("clue review in Chromium", () => {
  let browser: Browser;
  let dir: string;
  let app: App;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    dir = project();
    browser = await launchBrowser();
    app = await startReview(dir);
    context = await browser.newContext({ viewport: LAPTOP, reducedMotion: "reduce" });
    page = await context.newPage();
    await page.goto(app.url);
    await page.locator(".review-item.current").waitFor();
    await page.locator("#pair-body table.compare").waitFor();
  }, LAUNCH_TIMEOUT);

  afterAll(async () => {
    if (app) await stop(app);
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("lists the queued pairs, most uncertain first, and shows the first side by side with its differences", async () => {
    await expect.poll(() => page.locator("#queue-summary").textContent()).toMatch(/^1–5 of 5 queued pairs/);
    const items = await page.locator(".review-item-score").allTextContents();
    // Review band 0.85–0.97, middle 0.91: 0.9 is nearest, then the 0.95s.
    expect(items.map((s) => s.slice(0, 6))).toEqual(["0.9000", "0.9500", "0.9500", "0.9500", "0.9500"]);
    const differing = await page.locator("#pair-body tr.diff th").allTextContents();
    expect(differing.length).toBeGreaterThan(0);
    expect(await page.locator("#pair-body").textContent()).toContain("Rules that hold: name_and_dob");
    // The pair is taller than a laptop's window, and the decision form stays in view at its foot.
    expect(await page.evaluate<number>("document.documentElement.scrollHeight")).toBeGreaterThan(
      LAPTOP.height,
    );
    const form = await page.locator("#decision").boundingBox();
    expect(form).not.toBeNull();
    expect(form!.y + form!.height).toBeLessThanOrEqual(LAPTOP.height);
    expect(form!.y).toBeGreaterThan(LAPTOP.height / 2);
    await screenshot(page, "review-app");
    const violations = await axeViolations(page);
    expect(violations).toEqual([]);
  });

  it("decides two pairs with the keyboard and writes them into the dedup file, and nothing else", async () => {
    const first = (await page.locator(".review-item.current").getAttribute("data-key")) as string;
    await page.keyboard.press("r");
    await page.keyboard.type("Same person: married name, same date of birth.");
    await page.keyboard.press("Escape");
    await page.keyboard.press("m");
    await expect.poll(() => page.locator("#status").textContent()).toContain(`Wrote merged for ${first}`);
    // The app moved on to the next pair by itself.
    const second = (await page.locator(".review-item.current").getAttribute("data-key")) as string;
    expect(second).not.toBe(first);
    await page.keyboard.press("r");
    await page.keyboard.type("Shared office phone; different people.");
    await page.keyboard.press("Escape");
    await page.keyboard.press("n");
    await expect
      .poll(() => page.locator("#status").textContent())
      .toContain(`Wrote never merge for ${second}`);

    const diff = git(dir, "diff", "--unified=0", "--", DEDUP).stdout;
    const added = diff
      .split("\n")
      .filter((l) => l.startsWith("+") && !l.startsWith("+++"))
      .map((l) => l.slice(1));
    const removed = diff.split("\n").filter((l) => l.startsWith("-") && !l.startsWith("---"));
    expect(removed).toEqual([]);
    const [a1, b1] = first.split(" ~ ");
    const [a2, b2] = second.split(" ~ ");
    expect(added).toEqual([
      `  - merge: [${a1}, ${b1}]`,
      "    reviewer: Sam Steward <sam@example.com>",
      `    date: ${today()}`,
      '    reason: "Same person: married name, same date of birth."',
      `  - never_merge: [${a2}, ${b2}]`,
      "    reviewer: Sam Steward <sam@example.com>",
      `    date: ${today()}`,
      "    reason: Shared office phone; different people.",
    ]);
    // The file is still a valid project: clue validate passes on it.
    const validate = spawnSync(process.execPath, [join(repo, "bin/clue.js"), "validate"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(validate.status, validate.stdout + validate.stderr).toBe(0);
  });

  it("refuses a decision when the dedup file changed on disk, keeps the reason, and takes it after a reload", async () => {
    const path = join(dir, DEDUP);
    writeFileSync(path, `${readFileSync(path, "utf8")}# edited by hand while the app ran\n`);
    const before = readFileSync(path, "utf8");
    await page.keyboard.press("r");
    await page.keyboard.type("Decided while someone edited the file.");
    await page.keyboard.press("Escape");
    await page.keyboard.press("m");
    await expect.poll(() => page.locator("#status").textContent()).toContain("changed on disk");
    expect(await page.locator("#status").getAttribute("role")).toBe("alert");
    expect(await page.locator("#reason").inputValue()).toBe("Decided while someone edited the file.");
    expect(readFileSync(path, "utf8")).toBe(before);

    await page.locator("#reload").click();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/^Reloaded: \d+ queued pairs\./);
    // The two decided pairs are decisions now: the queue is shorter by them.
    expect(await page.locator("#queue-summary").textContent()).toMatch(/of 3 queued pairs/);
    await page.locator(".review-decision [data-action=skip]").click();
    await expect.poll(() => page.locator("#status").textContent()).toMatch(/^Skipped /);
    // A skip writes nothing.
    expect(readFileSync(path, "utf8")).toBe(before);
  });
});

describe("clue review refuses what it must", () => {
  let dir: string;
  let app: App;

  beforeAll(async () => {
    dir = project();
    app = await startReview(dir);
  }, LAUNCH_TIMEOUT);

  afterAll(async () => {
    if (app) expect(await stop(app)).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 403 on every route without the token, or with a wrong one", async () => {
    const base = app.url.replace(/\/\?token=.*$/, "");
    const token = app.url.replace(/^.*token=/, "");
    for (const path of ["/", "/api/queue", "/api/pair?key=x", "/favicon.ico"]) {
      expect((await fetch(base + path)).status, path).toBe(403);
      expect((await fetch(`${base}${path}${path.includes("?") ? "&" : "?"}token=wrong`)).status, path).toBe(
        403,
      );
    }
    const post = await fetch(`${base}/api/decide`, { method: "POST", body: "{}" });
    expect(post.status).toBe(403);
    expect(((await post.json()) as { error: string }).error).toContain("token is missing or wrong");
    const ok = await fetch(`${base}/api/queue`, { headers: { "x-clue-token": token } });
    expect(ok.status).toBe(200);
  });

  it("says a pair is no longer queued, and writes nothing", async () => {
    const base = app.url.replace(/\/\?token=.*$/, "");
    const token = app.url.replace(/^.*token=/, "");
    const before = readFileSync(join(dir, DEDUP), "utf8");
    const response = await fetch(`${base}/api/decide`, {
      method: "POST",
      headers: { "x-clue-token": token, "content-type": "application/json" },
      body: JSON.stringify({ key: "crm-contacts:c_1 ~ billing:B-99999", action: "merge", reason: "gone" }),
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: string }).error).toBe(
      "the pair crm-contacts:c_1 ~ billing:B-99999 is not in the review queue (any more): reload to see the queue as it is now",
    );
    expect(readFileSync(join(dir, DEDUP), "utf8")).toBe(before);
  });

  it("refuses a merge or never merge without a reason, and writes nothing", async () => {
    const base = app.url.replace(/\/\?token=.*$/, "");
    const token = app.url.replace(/^.*token=/, "");
    const before = readFileSync(join(dir, DEDUP), "utf8");
    const queue = (await (
      await fetch(`${base}/api/queue`, { headers: { "x-clue-token": token } })
    ).json()) as {
      pairs: { key: string }[];
    };
    for (const action of ["merge", "never_merge"]) {
      const response = await fetch(`${base}/api/decide`, {
        method: "POST",
        headers: { "x-clue-token": token, "content-type": "application/json" },
        body: JSON.stringify({ key: queue.pairs[0]?.key, action, reason: "  " }),
      });
      expect(response.status, action).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/needs a reason/);
    }
    expect(readFileSync(join(dir, DEDUP), "utf8")).toBe(before);
  });

  it("says clearly when the port is in use", () => {
    const port = new URL(app.url).port;
    const second = spawnSync(
      process.execPath,
      [join(repo, "bin/clue.js"), "review", "--no-open", ...INPUTS, "--port", port],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    expect(second.status).toBe(1);
    expect(second.stdout).toBe("");
    expect(second.stderr).toContain(
      `clue review: port ${port} is in use (another clue review?): choose another with --port, or leave --port out for a free one`,
    );
  });
});
