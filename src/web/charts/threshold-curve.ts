import type { TopLevelSpec } from "vega-lite";
import { palette as c } from "../palette.js";
import { noDataChart, renderChart } from "./render.js";
import { TENTHS, thresholdRules, type Layer, type Thresholds } from "./threshold-rule.js";

export interface ThresholdPoint {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
}

const METRICS = ["precision", "recall", "f1"] as const;
const LABELS: Record<(typeof METRICS)[number], string> = {
  precision: "Precision",
  recall: "Recall",
  f1: "F1",
};

function describe(points: readonly ThresholdPoint[], marks: Thresholds | undefined): string {
  const best = points.reduce((b, p) => (p.f1 > b.f1 ? p : b));
  const at = marks
    ? ` Auto-approve threshold ${marks.autoApprove.toFixed(2)}, queue threshold ${marks.queue.toFixed(2)}.`
    : "";
  return (
    `Line chart of precision, recall and F1 against the match threshold, from ${points.length} thresholds. ` +
    `Best F1 ${best.f1.toFixed(3)} at threshold ${best.threshold.toFixed(2)} ` +
    `(precision ${best.precision.toFixed(3)}, recall ${best.recall.toFixed(3)}).${at}`
  );
}

/**
 * Precision, recall and F1 as the threshold moves: where to put it, and what each choice costs. The three lines
 * differ in dash and point shape as well as colour.
 */
export async function thresholdCurve(points: readonly ThresholdPoint[], marks?: Thresholds): Promise<string> {
  const sorted = points.filter((p) => Number.isFinite(p.threshold)).sort((a, b) => a.threshold - b.threshold);
  if (sorted.length === 0)
    return noDataChart("Line chart of precision, recall and F1", "No labelled pairs to chart.");
  const long = sorted.flatMap((p) =>
    METRICS.map((m) => ({ threshold: p.threshold, metric: LABELS[m], value: p[m] })),
  );
  const domain = METRICS.map((m) => LABELS[m]);
  const lines: Layer = {
    data: { values: long },
    mark: { type: "line", point: { size: 36, filled: true }, strokeWidth: 2 },
    encoding: {
      x: {
        field: "threshold",
        type: "quantitative",
        scale: { domain: [0, 1], nice: false },
        axis: { title: "Match threshold", values: TENTHS, format: ".1f" },
      },
      y: {
        field: "value",
        type: "quantitative",
        // Above 1 on purpose: room for the threshold labels over the lines, which often run along the top.
        scale: { domain: [0, 1.18], nice: false },
        axis: { title: null, values: TENTHS, format: ".1f" },
      },
      color: {
        field: "metric",
        type: "nominal",
        scale: { domain, range: [c.accent, c.negative, c.text] },
        legend: { title: null },
      },
      strokeDash: {
        field: "metric",
        type: "nominal",
        scale: {
          domain,
          range: [
            [1, 0],
            [6, 3],
            [2, 2],
          ],
        },
      },
      shape: {
        field: "metric",
        type: "nominal",
        scale: { domain, range: ["circle", "square", "triangle-up"] },
      },
    },
  };
  const spec: TopLevelSpec = {
    height: 240,
    layer: [lines, ...(marks ? thresholdRules(marks) : [])],
  };
  return renderChart(spec, describe(sorted, marks));
}
