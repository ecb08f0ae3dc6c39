import type { TopLevelSpec } from "vega-lite";
import { formatNumber } from "../format.js";
import { palette as c } from "../palette.js";
import { countScale } from "./count-scale.js";
import { noDataChart, renderChart, ROW_HEIGHT } from "./render.js";

export interface BlockingPass {
  /** The blocking rule (pass) that generated the pairs. */
  name: string;
  /** Candidate pairs it generated. */
  pairs: number;
}

function describe(passes: readonly BlockingPass[]): string {
  const total = passes.reduce((n, p) => n + p.pairs, 0);
  const listed = passes.map((p) => `${p.name} ${formatNumber(p.pairs)}`).join(", ");
  return `Bar chart of candidate pairs per blocking pass, ${formatNumber(total)} in all: ${listed}.`;
}

/** Candidate pairs per blocking pass, with the count printed at each bar's end: the pass that costs most stands out. */
export async function blockingCost(passes: readonly BlockingPass[]): Promise<string> {
  if (passes.length === 0)
    return noDataChart("Bar chart of candidate pairs per blocking pass", "No blocking passes to chart.");
  const scale = countScale(
    passes.map((p) => p.pairs),
    "Candidate pairs",
  );
  const x = {
    field: "pairs",
    type: "quantitative" as const,
    scale: { type: scale.type },
    axis: { title: scale.title, format: ",d", ...(scale.ticks && { values: scale.ticks }) },
  };
  const y = { field: "name", type: "nominal" as const, sort: null, axis: { title: null, labelLimit: 260 } };
  const spec: TopLevelSpec = {
    data: { values: passes.map((p) => ({ name: p.name, pairs: p.pairs })) },
    // A fixed height per row rather than a step: vega-lite drops fitting the width when the height is a step.
    height: ROW_HEIGHT * passes.length,
    layer: [
      { mark: { type: "bar" }, encoding: { x, y } },
      {
        mark: { type: "text", align: "left", dx: 4, color: c.text },
        encoding: { x, y, text: { field: "pairs", type: "quantitative", format: "," } },
      },
    ],
  };
  return renderChart(spec, describe(passes));
}
