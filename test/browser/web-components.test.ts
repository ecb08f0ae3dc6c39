import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Explanation } from "../../src/matching/model.js";
import { blockingCost } from "../../src/web/charts/blocking-cost.js";
import { clusterSizes } from "../../src/web/charts/cluster-sizes.js";
import { passRates } from "../../src/web/charts/pass-rates.js";
import { scoreHistogram } from "../../src/web/charts/score-histogram.js";
import { thresholdCurve } from "../../src/web/charts/threshold-curve.js";
import {
  badge,
  figure,
  recordCompare,
  section,
  statGrid,
  table,
  toc,
  waterfall,
} from "../../src/web/components.js";
import { html, raw } from "../../src/web/html.js";
import { page as document } from "../../src/web/page.js";
import {
  axeViolations,
  browserTestsRun,
  LAPTOP,
  LAUNCH_TIMEOUT,
  launchBrowser,
  openHtml,
  savePage,
  screenshot,
  type OpenedPage,
} from "./browser.js";

const thresholds = { autoApprove: 0.9, queue: 0.7 };
const explanation: Explanation = {
  prior: -9.5,
  comparisons: [
    { comparison: "name", level: "exact", weight: 7.25 },
    { comparison: "email", level: "different", weight: -3.5 },
    { comparison: "postcode", level: "same", weight: 4.1 },
  ],
  match_weight: -1.65,
  probability: 1 / (1 + 2 ** 1.65),
};

/** One page with every component and every chart: what review and report pages are made of. */
async function kitchenSink(options: { script: boolean }): Promise<string> {
  const scores = Array.from({ length: 600 }, (_, i) => ((i * 7919) % 1000) / 1000);
  const curve = Array.from({ length: 9 }, (_, i) => {
    const threshold = 0.1 + i * 0.1;
    const precision = 0.5 + threshold / 2;
    const recall = 1 - threshold * threshold;
    return { threshold, precision, recall, f1: (2 * precision * recall) / (precision + recall) };
  });
  const charts = [
    ["Match scores", await scoreHistogram(scores, thresholds)],
    [
      "Cluster sizes",
      await clusterSizes([
        { size: 1, clusters: 4200 },
        { size: 2, clusters: 610 },
        { size: 3, clusters: 42 },
        { size: 8, clusters: 2 },
      ]),
    ],
    [
      "Pass rates",
      await passRates([
        { rule: "email-valid", rate: 0.97, base: 0.99 },
        { rule: "phone-e164", rate: 0.81, base: 0.78 },
        { rule: "country-known", rate: 1 },
      ]),
    ],
    ["Threshold", await thresholdCurve(curve, thresholds)],
    [
      "Blocking cost",
      await blockingCost([
        { name: "same-email", pairs: 1200 },
        { name: "postcode+surname", pairs: 240_000 },
      ]),
    ],
  ] as const;
  const summary = statGrid([
    { label: "Records", value: 48213 },
    { label: "Pairs scored", value: 12877, hint: "after blocking" },
    { label: "Auto-merged", value: "71.4%", hint: "at or above 0.90" },
  ]);
  const pair = html`<p>Decisions: ${badge("merge")} ${badge("queue")} ${badge("never-merge")}</p>
${recordCompare({
  fields: ["name", "email", "phone", "postcode"],
  a: {
    label: "CRM 1017",
    values: { name: "Ada Lovelace", email: "ada@example.org", phone: null, postcode: "W1 2AB" },
  },
  b: {
    label: "ERP 88",
    values: { name: "Ada Lovelace", email: "a.lovelace@example.org", phone: null, postcode: "W1 2AB" },
  },
})}
${waterfall(explanation)}`;
  const figures = html`${charts.map(([caption, svg]) => figure({ chart: raw(svg), caption }))}`;
  const rules = table({
    caption: "Blocking rules",
    columns: [
      { key: "rule", label: "Rule" },
      { key: "pairs", label: "Pairs", align: "right" },
      { key: "note", label: "Note" },
    ],
    rows: [
      { rule: "same-email", pairs: 1200, note: "exact" },
      { rule: "postcode+surname", pairs: 240000, note: null },
    ],
  });
  const sections = [
    { id: "summary", title: "Summary", body: summary },
    { id: "pair", title: "A pair", body: pair },
    { id: "charts", title: "Charts", body: figures },
    { id: "rules", title: "Rules", body: rules },
  ];
  const body = html`${toc(sections)}
${sections.map((s) => section(s))}`;
  return document({
    title: "Components",
    context: "example project",
    body,
    ...(options.script
      ? { script: "document.documentElement.dataset.ready = 'yes';" }
      : { connectSrc: "'none'" }),
  });
}

interface Focused {
  tag: string;
  text: string;
  outlineStyle: string;
  outlineWidth: number;
  top: number;
}

/** What has focus and how it is drawn (a string expression, since the test project has no DOM typings). */
async function focused(page: Page): Promise<Focused> {
  return page.evaluate<Focused>(`(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return {
      tag: el.tagName.toLowerCase() + (el.getAttribute("role") ? "[" + el.getAttribute("role") + "]" : ""),
      text: (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 40),
      outlineStyle: s.outlineStyle,
      outlineWidth: parseFloat(s.outlineWidth),
      top: r.top,
    };
  })()`);
}

describe.skipIf(!browserTestsRun)("web components in Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  }, LAUNCH_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
  }, LAUNCH_TIMEOUT);

  describe("the review app's kind of page (with a script)", () => {
    let opened: OpenedPage;
    let page: Page;

    beforeAll(async () => {
      const doc = await kitchenSink({ script: true });
      await savePage("web-components", doc);
      opened = await openHtml(browser, doc);
      page = opened.page;
      await screenshot(page, "web-components");
    }, LAUNCH_TIMEOUT);

    afterAll(async () => {
      await opened?.close();
    }, LAUNCH_TIMEOUT);

    it("runs its inline script and applies its inline style under its own CSP", async () => {
      expect(await page.getAttribute("html", "data-ready")).toBe("yes");
      const header = await page.evaluate<string>(
        `getComputedStyle(document.querySelector("header.site")).backgroundColor`,
      );
      expect(header).toBe("rgb(246, 248, 250)");
      // The waterfall's bars are sized by style attributes, which the policy must allow too.
      const bars = await page.locator(".wf-bar").all();
      expect(bars).toHaveLength(5);
      for (const bar of bars) expect((await bar.boundingBox())?.width).toBeGreaterThan(0);
    });

    it("shows every chart as a visible SVG image with a name", async () => {
      const charts = page.locator("figure.chart svg[role=img]");
      expect(await charts.count()).toBe(5);
      for (const chart of await charts.all()) {
        expect(await chart.isVisible()).toBe(true);
        const box = await chart.boundingBox();
        expect(box?.width).toBeGreaterThan(400);
        expect(box?.height).toBeGreaterThan(80);
        expect(await chart.getAttribute("aria-label")).toMatch(/chart|Histogram/);
      }
    });

    it("marks the differing field, and only it, with a visible, named ≠", async () => {
      const diffRows = page.locator("table.compare tr.diff");
      expect(await diffRows.count()).toBe(1);
      expect(await diffRows.first().getAttribute("data-field")).toBe("email");
      const marker = page.getByRole("img", { name: "differs" });
      expect(await marker.count()).toBe(1);
      expect(await marker.isVisible()).toBe(true);
      expect(await marker.textContent()).toBe("≠");
      expect(await page.locator("table.compare tr:not(.diff) .diff-marker").count()).toBe(0);
    });

    it("fits a laptop screen without scrolling sideways", async () => {
      const scrollWidth = await page.evaluate<number>("document.documentElement.scrollWidth");
      expect(scrollWidth).toBeLessThanOrEqual(LAPTOP.width);
    });

    it("reaches the skip link, the contents and the tables with Tab, each with a visible focus ring", async () => {
      await page.locator("body").focus();
      // Tab until focus leaves the page (back to <body>): skip link, 4 contents links, 3 table regions.
      const seen: Focused[] = [];
      for (let i = 0; i < 20; i++) {
        await page.keyboard.press("Tab");
        const now = await focused(page);
        if (now.tag === "body") break;
        seen.push(now);
      }
      expect(seen).toHaveLength(8);
      expect(seen[0]).toMatchObject({ tag: "a", text: "Skip to content" });
      // The skip link is off-screen until it has focus.
      expect(seen[0]?.top).toBeGreaterThanOrEqual(0);
      expect(seen.map((f) => f.text)).toEqual(
        expect.arrayContaining([
          "Summary",
          "Charts",
          "Rules",
          "Match weight, step by step",
          "Blocking rules",
        ]),
      );
      expect(seen.some((f) => f.tag === "div[region]")).toBe(true);
      for (const f of seen) {
        expect(f.outlineStyle, `${f.tag} ${f.text}`).toBe("solid");
        expect(f.outlineWidth, `${f.tag} ${f.text}`).toBeGreaterThanOrEqual(2);
      }
    });

    it("has no accessibility violations that axe can find", async () => {
      expect(await axeViolations(page)).toEqual([]);
    });
  });

  describe("the report's kind of page (no script, connects nowhere)", () => {
    let opened: OpenedPage;

    beforeAll(async () => {
      const doc = await kitchenSink({ script: false });
      await savePage("web-components-report", doc);
      // The report's policy allows no script at all, so axe gets in only with the policy bypassed.
      opened = await openHtml(browser, doc, { bypassCSP: true });
      await screenshot(opened.page, "web-components-report");
    }, LAUNCH_TIMEOUT);

    afterAll(async () => {
      await opened?.close();
    }, LAUNCH_TIMEOUT);

    it("has no script and no accessibility violations", async () => {
      expect(await opened.page.locator("script").count()).toBe(0);
      expect(await axeViolations(opened.page)).toEqual([]);
    });
  });
});
