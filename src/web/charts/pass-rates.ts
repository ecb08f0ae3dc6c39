import type { TopLevelSpec } from "vega-lite";
import { formatPercent } from "../format.js";
import { palette as c } from "../palette.js";
import { noDataChart, renderChart, ROW_HEIGHT } from "./render.js";
import { TENTHS, type Layer } from "./threshold-rule.js";

export interface PassRate {
  /** The validation's name. */
  rule: string;
  /** Share of records that pass, 0..1. */
  rate: number;
  /** The same share on the base revision, when there is one to compare with. */
  base?: number;
}

function describe(rows: readonly PassRate[]): string {
  const listed = rows
    .slice(0, 20)
    .map(
      (r) =>
        `${r.rule} ${formatPercent(r.rate)}${r.base === undefined ? "" : ` (base ${formatPercent(r.base)})`}`,
    )
    .join(", ");
  const more = rows.length > 20 ? `, and ${rows.length - 20} more` : "";
  return `Bar chart of pass rate per validation: ${listed}${more}.`;
}

/**
 * One horizontal bar per validation, in the order given; where a base revision's rate is known, a dark tick marks
 * it on the same row, so a drop shows as a bar that stops short of its tick.
 */
export async function passRates(rows: readonly PassRate[]): Promise<string> {
  if (rows.length === 0)
    return noDataChart("Bar chart of pass rate per validation", "No validations to chart.");
  const y = { field: "rule", type: "nominal" as const, sort: null, axis: { title: null, labelLimit: 260 } };
  const x = {
    field: "rate",
    type: "quantitative" as const,
    scale: { domain: [0, 1], nice: false },
    axis: { title: "Records that pass", format: ".0%", values: TENTHS },
  };
  const layers: Layer[] = [
    {
      data: { values: rows.map((r) => ({ rule: r.rule, rate: r.rate })) },
      mark: { type: "bar" },
      encoding: { x, y },
    },
  ];
  const base = rows.filter((r) => r.base !== undefined).map((r) => ({ rule: r.rule, rate: r.base }));
  if (base.length > 0)
    layers.push({
      data: { values: base },
      mark: { type: "tick", color: c.text, thickness: 3, bandSize: 18 },
      encoding: { x, y },
    });
  const spec: TopLevelSpec = {
    // A fixed height per row rather than a step: vega-lite drops fitting the width when the height is a step.
    height: ROW_HEIGHT * rows.length,
    ...(base.length > 0 && {
      title: { text: "Bars: this revision. Ticks: the base revision.", fontWeight: "normal", fontSize: 12 },
    }),
    layer: layers,
  };
  return renderChart(spec, describe(rows));
}
