import type { TopLevelSpec } from "vega-lite";
import { formatNumber } from "../format.js";
import { countScale } from "./count-scale.js";
import { noDataChart, renderChart } from "./render.js";

export interface ClusterSizeCount {
  /** Records in a cluster. */
  size: number;
  /** How many clusters have that many records. */
  clusters: number;
}

function describe(sizes: readonly ClusterSizeCount[]): string {
  const total = sizes.reduce((n, s) => n + s.clusters, 0);
  const listed = sizes
    .slice(0, 12)
    .map((s) => `${formatNumber(s.clusters)} of size ${formatNumber(s.size)}`)
    .join(", ");
  const more = sizes.length > 12 ? `, and ${sizes.length - 12} larger sizes` : "";
  return `Bar chart of cluster sizes: ${formatNumber(total)} clusters; ${listed}${more}.`;
}

/** How many clusters have each size: singletons, pairs, and the long tail a bad rule makes. */
export async function clusterSizes(sizes: readonly ClusterSizeCount[]): Promise<string> {
  const rows = sizes.filter((s) => s.clusters > 0).sort((x, y) => x.size - y.size);
  if (rows.length === 0) return noDataChart("Bar chart of cluster sizes", "No clusters to chart.");
  const scale = countScale(
    rows.map((r) => r.clusters),
    "Clusters",
  );
  const spec: TopLevelSpec = {
    data: { values: rows },
    height: 220,
    mark: { type: "bar" },
    encoding: {
      x: {
        field: "size",
        type: "ordinal",
        sort: "ascending",
        axis: { title: "Records in the cluster", labelAngle: 0, labelOverlap: "greedy" },
      },
      y: {
        field: "clusters",
        type: "quantitative",
        scale: { type: scale.type },
        axis: {
          title: scale.title,
          format: ",d",
          tickMinStep: 1,
          ...(scale.ticks && { values: scale.ticks }),
        },
      },
    },
  };
  return renderChart(spec, describe(rows));
}
