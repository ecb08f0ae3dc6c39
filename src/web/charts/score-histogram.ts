import type { TopLevelSpec } from "vega-lite";
import { formatNumber } from "../format.js";
import { palette as c } from "../palette.js";
import { noDataChart, renderChart } from "./render.js";
import { TENTHS, thresholdRules, type Thresholds } from "./threshold-rule.js";

const BINS = 50;

export interface ScoreBin {
  start: number;
  end: number;
  count: number;
}

/**
 * Scores counted into bins of 0.02 over 0..1 (a score of exactly 1 goes in the last bin). Binned here rather than by
 * Vega so a run's hundred thousand scores become fifty rows before they reach the chart.
 */
export function binScores(scores: readonly number[]): ScoreBin[] {
  const counts = new Array<number>(BINS).fill(0);
  for (const s of scores) {
    if (!Number.isFinite(s)) continue;
    // The epsilon keeps 0.06 (2.9999… bins up) in the bin that starts at 0.06.
    const i = Math.min(BINS - 1, Math.max(0, Math.floor(s * BINS + 1e-9)));
    counts[i] = (counts[i] as number) + 1;
  }
  return counts.flatMap((count, i) => (count === 0 ? [] : [{ start: i / BINS, end: (i + 1) / BINS, count }]));
}

function describe(scores: readonly number[], t: Thresholds): string {
  const valid = scores.filter(Number.isFinite);
  const merged = valid.filter((s) => s >= t.autoApprove).length;
  const queued = valid.filter((s) => s >= t.queue && s < t.autoApprove).length;
  return (
    `Histogram of ${formatNumber(valid.length)} match scores in bins of 0.02. ` +
    `${formatNumber(merged)} at or above the auto-approve threshold ${t.autoApprove.toFixed(2)}, ` +
    `${formatNumber(queued)} from the queue threshold ${t.queue.toFixed(2)} up to it, ` +
    `${formatNumber(valid.length - merged - queued)} below.`
  );
}

export async function scoreHistogram(scores: readonly number[], thresholds: Thresholds): Promise<string> {
  const bins = binScores(scores);
  if (bins.length === 0) return noDataChart("Histogram of match scores", "No scored pairs to chart.");
  const spec: TopLevelSpec = {
    height: 220,
    layer: [
      {
        data: { values: bins },
        // x2 rather than a binned x: the bins are made above, and each bar spans exactly its bin.
        mark: { type: "bar", orient: "vertical", stroke: c.background, strokeWidth: 0.5 },
        encoding: {
          x: {
            field: "start",
            type: "quantitative",
            scale: { domain: [0, 1], nice: false },
            axis: { title: "Match score", values: TENTHS, format: ".1f" },
          },
          x2: { field: "end" },
          y: {
            field: "count",
            type: "quantitative",
            // Headroom above the tallest bar, where the threshold labels sit clear of the bars.
            scale: { domainMax: Math.ceil(Math.max(...bins.map((b) => b.count)) * 1.3) },
            axis: { title: "Pairs", tickMinStep: 1, format: ",d" },
          },
        },
      },
      ...thresholdRules(thresholds),
    ],
  };
  return renderChart(spec, describe(scores, thresholds));
}
