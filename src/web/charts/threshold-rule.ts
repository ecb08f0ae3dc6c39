import type { TopLevelSpec } from "vega-lite";
import { palette as c } from "../palette.js";

export interface Thresholds {
  /** At or above: merged without review. */
  autoApprove: number;
  /** At or above (and below autoApprove): queued for a steward. */
  queue: number;
}

/** Axis ticks for a 0..1 scale (scores, thresholds, rates) that both threshold charts share. */
export const TENTHS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** One layer of a layered chart, named through the public TopLevelSpec since vega-lite exports no such type. */
export type Layer = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];

export interface ThresholdRule {
  label: string;
  value: number;
  colour: string;
  /** Dash pattern: thresholds differ in dash as well as colour, for readers who cannot tell the colours apart. */
  dash: number[];
  /** Which line of labels at the top of the plot, so two close thresholds do not print over each other. */
  row: number;
}

/**
 * A vertical rule at a threshold with "label ≥ value" beside it: to its left in the right half of the plot and to
 * its right in the left half, so the label stays inside the chart.
 */
export function thresholdRule(rule: ThresholdRule): Layer {
  const right = rule.value > 0.5;
  return {
    data: { values: [{ value: rule.value, label: `${rule.label} ≥ ${rule.value.toFixed(2)}` }] },
    layer: [
      {
        mark: { type: "rule", color: rule.colour, strokeWidth: 2, strokeDash: rule.dash },
        encoding: { x: { field: "value", type: "quantitative" } },
      },
      {
        mark: {
          type: "text",
          color: rule.colour,
          fontWeight: 600,
          align: right ? "right" : "left",
          baseline: "top",
          dx: right ? -5 : 5,
          y: 4 + rule.row * 16,
        },
        encoding: { x: { field: "value", type: "quantitative" }, text: { field: "label" } },
      },
    ],
  };
}

/** The two thresholds as labelled rules: auto-approve solid, queue dashed. */
export function thresholdRules(t: Thresholds): Layer[] {
  return [
    thresholdRule({ label: "auto-approve", value: t.autoApprove, colour: c.positive, dash: [1, 0], row: 0 }),
    thresholdRule({ label: "queue", value: t.queue, colour: c.caution, dash: [6, 4], row: 1 }),
  ];
}
