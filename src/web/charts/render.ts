import { createHash } from "node:crypto";
import { parse, View, type Loader } from "vega";
import { compile, type Config, type TopLevelSpec } from "vega-lite";
import { escapeHtml } from "../html.js";
import { fontStack, palette as c } from "../palette.js";

/** Every chart's width in CSS pixels: fits a laptop's content column beside nothing, and scales down with the page. */
export const CHART_WIDTH = 640;

/** The height of one bar's row in a horizontal bar chart: room for a 12px label. */
export const ROW_HEIGHT = 24;

/** Colours, font and sizes shared with style.ts, so a chart looks like the page around it. */
export const chartConfig: Config = {
  font: fontStack,
  background: c.background,
  padding: 8,
  view: { stroke: null, continuousWidth: CHART_WIDTH, continuousHeight: 240 },
  // The whole SVG is one image with a written description (see withDescription); vega's per-mark ARIA roles would
  // make a screen reader walk hundreds of unlabelled shapes.
  aria: false,
  mark: { color: c.accent, aria: false },
  axis: {
    labelColor: c.muted,
    labelFontSize: 12,
    titleColor: c.text,
    titleFontSize: 12,
    titleFontWeight: 600,
    domainColor: c.muted,
    tickColor: c.muted,
    gridColor: c.grid,
  },
  legend: { labelColor: c.text, labelFontSize: 12, titleColor: c.text, titleFontSize: 12, orient: "top" },
  title: { color: c.text, subtitleColor: c.muted, fontSize: 13, anchor: "start" },
  text: { color: c.text, fontSize: 12 },
};

/** Charts draw inline data only: a spec that names a URL is a bug, and must not reach the network or the disk. */
const noLoading: Loader = {
  load: (uri) => Promise.reject(new Error(`charts load nothing (asked for ${uri})`)),
  sanitize: (uri) => Promise.reject(new Error(`charts load nothing (asked for ${uri})`)),
  http: (uri) => Promise.reject(new Error(`charts load nothing (asked for ${uri})`)),
  file: (uri) => Promise.reject(new Error(`charts load nothing (asked for ${uri})`)),
};

/**
 * Vega numbers clip paths and gradients from a counter shared by the whole process, so the same chart drawn twice
 * gets different ids, and two charts on one page can collide. Renaming them after a hash of the drawing makes the
 * output depend on the input only, and different charts on one page keep apart.
 */
function stableIds(svg: string): string {
  const order = new Map<string, number>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g))
    if (!order.has(m[1] as string)) order.set(m[1] as string, order.size);
  if (order.size === 0) return svg;
  const renamed = (prefix: string) =>
    svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (all, lead: string, id: string) => {
      const i = order.get(id);
      return i === undefined ? all : `${lead}${prefix}-${i}`;
    });
  const hash = createHash("sha256").update(renamed("chart")).digest("hex").slice(0, 10);
  return renamed(`chart-${hash}`);
}

/** Makes the SVG one image for assistive technology: role="img", an aria-label and a <title> saying what it shows. */
function withDescription(svg: string, description: string): string {
  const text = escapeHtml(description);
  return svg.replace(/^<svg\b([^>]*)>/, (_open, attrs: string) => {
    const classed = /\sclass="/.test(attrs)
      ? attrs.replace(/\sclass="/, ' class="chart-svg ')
      : `${attrs} class="chart-svg"`;
    return `<svg${classed} role="img" aria-label="${text}"><title>${text}</title>`;
  });
}

/** Compiles a Vega-Lite spec and draws it as an SVG string, headless (no DOM, no canvas). */
export async function renderChart(spec: TopLevelSpec, description: string): Promise<string> {
  // Fit the whole drawing, axes and labels included, into the chart width, so every chart on a page lines up.
  const sized = {
    width: CHART_WIDTH,
    autosize: { type: "fit-x", contains: "padding" },
    ...spec,
  } as TopLevelSpec;
  const vega = compile(sized, { config: chartConfig }).spec;
  const view = new View(parse(vega), { renderer: "none", loader: noLoading });
  try {
    const svg = await view.toSVG();
    return withDescription(stableIds(svg), description);
  } finally {
    view.finalize();
  }
}

/** What a chart shows when it has nothing to draw: a sentence in the chart's place rather than empty axes or a crash. */
export function noDataChart(description: string, note = "No data to chart yet."): string {
  const width = CHART_WIDTH;
  const height = 64;
  return withDescription(
    `<svg xmlns="http://www.w3.org/2000/svg" class="marks no-data" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
      `<rect x="0.5" y="0.5" width="${width - 1}" height="${height - 1}" rx="6" fill="${c.surface}" stroke="${c.border}"/>` +
      `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" dominant-baseline="middle" fill="${c.muted}" ` +
      `font-family="${escapeHtml(fontStack)}" font-size="14">${escapeHtml(note)}</text></svg>`,
    `${description}: ${note}`,
  );
}
