import { html, type Html } from "../html.js";

export interface FigureOptions {
  /** A chart's SVG as a chart function returned it, wrapped with raw(): the one place markup is trusted. */
  chart: Html;
  caption: string;
}

/** A chart with a visible caption under it (the SVG's own title and label are for screen readers). */
export function figure(options: FigureOptions): Html {
  return html`<figure class="chart">
${options.chart}
<figcaption>${options.caption}</figcaption>
</figure>`;
}
