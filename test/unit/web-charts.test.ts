import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { blockingCost } from "../../src/web/charts/blocking-cost.js";
import { clusterSizes } from "../../src/web/charts/cluster-sizes.js";
import { countScale } from "../../src/web/charts/count-scale.js";
import { passRates } from "../../src/web/charts/pass-rates.js";
import { binScores, scoreHistogram } from "../../src/web/charts/score-histogram.js";
import { thresholdCurve } from "../../src/web/charts/threshold-curve.js";

/**
 * Vega classes each drawn mark group "mark-<type> role-mark <name>"; `type` is a mark type ("rect") or, to pick one
 * layer's group, the class up to its name ("rect role-mark layer_1_marks").
 */
const groupsOf = (svg: string, type: string) =>
  svg.split(`class="mark-${type.includes(" ") ? type : `${type} role-mark`}`).slice(1);
const marks = (svg: string, type: string) => groupsOf(svg, type).length;
/** The drawn items inside those groups (one <path>, <line> or <text> per datum). */
const items = (svg: string, type: string, tag: string) =>
  groupsOf(svg, type).reduce((n, g) => n + (g.split("</g>")[0] as string).split(`<${tag} `).length - 1, 0);

const scores = Array.from({ length: 400 }, (_, i) => ((i * 37) % 400) / 400);
const thresholds = { autoApprove: 0.9, queue: 0.7 };
const curve = Array.from({ length: 9 }, (_, i) => {
  const threshold = 0.1 + i * 0.1;
  const precision = 0.5 + threshold / 2;
  const recall = 1 - threshold * threshold;
  return { threshold, precision, recall, f1: (2 * precision * recall) / (precision + recall) };
});

// Vega-Lite reports a spec it had to fix up through console.warn; a chart of ours should never need that.
beforeEach(() => {
  vi.spyOn(console, "warn");
});
afterEach(() => {
  expect(console.warn).not.toHaveBeenCalled();
  vi.restoreAllMocks();
});

function expectAccessibleSvg(svg: string, describes: RegExp) {
  expect(svg.startsWith("<svg ")).toBe(true);
  expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*>/);
  const label = /^<svg [^>]*aria-label="([^"]+)"/.exec(svg)?.[1];
  expect(label).toMatch(describes);
  expect(svg).toContain(`<title>${label}</title>`);
  expect(svg.match(/class="chart-svg/g)).toHaveLength(1);
  // No per-mark ARIA: the chart is one image with one description, its data marks hidden from assistive technology.
  const dataMarks = svg.match(/<g class="mark-\w+ role-mark[^>]*>/g) ?? [];
  expect(dataMarks.every((g) => g.includes('aria-hidden="true"'))).toBe(true);
}

describe("binScores", () => {
  it("counts scores into bins of 0.02, the top score in the last bin, nothing lost at bin edges", () => {
    const bins = binScores([0, 0.019, 0.02, 0.06, 0.5, 0.999, 1, NaN]);
    expect(bins.map((b) => [b.start, b.count])).toEqual([
      [0, 2],
      [0.02, 1],
      [0.06, 1],
      [0.5, 1],
      [0.98, 2],
    ]);
    expect(bins.at(-1)?.end).toBe(1);
  });
});

describe("countScale", () => {
  it("stays linear for narrow ranges and goes logarithmic, with power-of-ten ticks, for wide ones", () => {
    expect(countScale([3, 50], "n").type).toBe("linear");
    expect(countScale([1, 5000], "n")).toEqual({
      type: "symlog",
      ticks: [0, 1, 10, 100, 1000, 10000],
      title: "n (log scale)",
    });
    expect(countScale([0, 0], "n").type).toBe("linear");
  });
});

describe("scoreHistogram", () => {
  it("draws bars and two labelled threshold rules", async () => {
    const svg = await scoreHistogram(scores, thresholds);
    expectAccessibleSvg(svg, /Histogram of 400 match scores/);
    expect(items(svg, "rect", "path")).toBe(50);
    expect(marks(svg, "rule")).toBe(2);
    expect(svg).toContain("auto-approve ≥ 0.90");
    expect(svg).toContain("queue ≥ 0.70");
    expect(svg).toMatch(/stroke-dasharray="6,4"/);
    expect(svg).toContain("Match score");
  });

  it("renders the same input to the same SVG, with ids of its own", async () => {
    const one = await scoreHistogram(scores, thresholds);
    const two = await scoreHistogram(scores, thresholds);
    expect(two).toBe(one);
    const ids = [...one.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] as string);
    for (const id of ids) expect(id).toMatch(/^chart-[0-9a-f]{10}-\d+$/);
  });

  it("says there is no data rather than drawing empty axes", async () => {
    const svg = await scoreHistogram([], thresholds);
    expectAccessibleSvg(svg, /No scored pairs/);
    expect(svg).toContain(">No scored pairs to chart.</text>");
  });
});

describe("clusterSizes", () => {
  it("draws one bar per size, on a log axis when the counts span orders of magnitude", async () => {
    const svg = await clusterSizes([
      { size: 2, clusters: 800 },
      { size: 1, clusters: 5000 },
      { size: 9, clusters: 1 },
    ]);
    expectAccessibleSvg(svg, /5,801 clusters; 5,000 of size 1, 800 of size 2, 1 of size 9/);
    expect(items(svg, "rect", "path")).toBe(3);
    expect(svg).toContain("Clusters (log scale)");
    expect(svg).toContain(">1,000</text>");
  });

  it("stays linear for a narrow range and says when there are no clusters", async () => {
    const svg = await clusterSizes([
      { size: 1, clusters: 50 },
      { size: 2, clusters: 30 },
    ]);
    expect(svg).not.toContain("log scale");
    expect(await clusterSizes([])).toContain("No clusters to chart.");
  });
});

describe("passRates", () => {
  it("draws a bar per validation and a tick for each base rate", async () => {
    const svg = await passRates([
      { rule: "email-valid", rate: 0.97, base: 0.99 },
      { rule: "phone-e164", rate: 0.81 },
      { rule: "<country>", rate: 1, base: 1 },
    ]);
    expectAccessibleSvg(
      svg,
      /email-valid 97\.0% \(base 99\.0%\), phone-e164 81\.0%, &lt;country&gt; 100\.0%/,
    );
    // Vega draws a tick as a thin rect: the bars are the first layer, the ticks the second.
    expect(items(svg, "rect role-mark layer_0_marks", "path")).toBe(3);
    expect(items(svg, "rect role-mark layer_1_marks", "path")).toBe(2);
    expect(svg).toContain("Ticks: the base revision.");
    expect(svg).toContain("&lt;country&gt;");
    expect(svg).not.toContain("<country>");
  });

  it("has no tick layer or key without base rates, and a note without rows", async () => {
    const svg = await passRates([{ rule: "email-valid", rate: 0.5 }]);
    expect(marks(svg, "rect")).toBe(1);
    expect(svg).not.toContain("base revision");
    expect(await passRates([])).toContain("No validations to chart.");
  });
});

describe("thresholdCurve", () => {
  it("draws precision, recall and F1 lines, with the thresholds marked when given", async () => {
    const svg = await thresholdCurve(curve, thresholds);
    expectAccessibleSvg(svg, /Best F1 0\.\d{3} at threshold 0\.\d0/);
    // One line group per metric, each one path, and a point per threshold on each.
    expect(marks(svg, "line")).toBe(3);
    expect(items(svg, "line", "path")).toBe(3);
    expect(items(svg, "symbol", "path")).toBe(27);
    for (const name of ["Precision", "Recall", "F1"]) expect(svg).toContain(`>${name}</text>`);
    expect(marks(svg, "rule")).toBe(2);
    expect(svg).toContain("queue ≥ 0.70");
  });

  it("draws no rules without thresholds, and a note without points", async () => {
    expect(marks(await thresholdCurve(curve), "rule")).toBe(0);
    expect(await thresholdCurve([])).toContain("No labelled pairs to chart.");
  });
});

describe("blockingCost", () => {
  it("draws a bar and a printed count per pass", async () => {
    const svg = await blockingCost([
      { name: "same-email", pairs: 1200 },
      { name: "postcode+surname", pairs: 2_400_000 },
      { name: "empty", pairs: 0 },
    ]);
    expectAccessibleSvg(svg, /2,401,200 in all: same-email 1,200, postcode\+surname 2,400,000, empty 0/);
    expect(items(svg, "rect", "path")).toBe(3);
    expect(svg).toContain(">2,400,000</text>");
    expect(svg).toContain("Candidate pairs (log scale)");
    expect(await blockingCost([])).toContain("No blocking passes to chart.");
  });
});
