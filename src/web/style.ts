import { fontStack, monoStack, palette as c } from "./palette.js";

/**
 * The one stylesheet every page inlines (pages load nothing, so there is no shared file to link). Differences and
 * decisions never rely on colour alone: a differing field also gets a "≠" marker and bold text, badges carry a
 * symbol, weights carry their sign — a reader who cannot tell red from green loses nothing.
 */
export const stylesheet = `
:root { color-scheme: light; }
*, *::before, *::after { box-sizing: border-box; }
html {
  font-family: ${fontStack};
  font-size: 100%;
  line-height: 1.5;
  color: ${c.text};
  background: ${c.background};
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}
body { margin: 0; }
code, kbd, pre { font-family: ${monoStack}; font-size: 0.875em; }
a { color: ${c.accent}; text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid ${c.accent}; outline-offset: 2px; border-radius: 2px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.skip-link {
  position: absolute; left: 0.5rem; top: -4rem; z-index: 10;
  padding: 0.5rem 0.75rem; background: ${c.background}; border: 1px solid ${c.border}; border-radius: 6px;
}
.skip-link:focus { top: 0.5rem; }

header.site {
  display: flex; align-items: baseline; gap: 0.75rem;
  padding: 0.75rem 1.5rem; border-bottom: 1px solid ${c.border}; background: ${c.surface};
}
header.site .brand { font-weight: 700; font-size: 1.125rem; letter-spacing: 0.02em; margin: 0; }
header.site .context { color: ${c.muted}; margin: 0; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.25rem; line-height: 1.3; margin: 2rem 0 0.75rem; }
h3 { font-size: 1.0625rem; margin: 1.5rem 0 0.5rem; }
p { margin: 0 0 1rem; max-width: 70ch; }
section { scroll-margin-top: 1rem; }

nav.toc ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0 0 1.5rem; }

.table-scroll { overflow-x: auto; margin: 0 0 1.5rem; border: 1px solid ${c.border}; border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0.5rem 0.75rem; }
.caption-note { color: ${c.muted}; font-weight: 400; }
th, td { padding: 0.375rem 0.75rem; border-top: 1px solid ${c.border}; text-align: left; vertical-align: top; }
thead th { background: ${c.surface}; font-weight: 600; white-space: nowrap; }
tbody th[scope="row"] { font-weight: 600; }
.align-right { text-align: right; }
.align-center { text-align: center; }
.empty { color: ${c.muted}; font-style: italic; }
.value { overflow-wrap: anywhere; }

tr.diff > th, tr.diff > td { background: ${c.highlight}; }
tr.diff > td { font-weight: 700; }
.diff-marker { display: inline-block; min-width: 1.25em; font-weight: 700; }
.same-marker { display: inline-block; min-width: 1.25em; }

.badge {
  display: inline-flex; align-items: center; gap: 0.3em;
  padding: 0 0.5rem; border: 1px solid currentColor; border-radius: 999px;
  font-size: 0.8125rem; font-weight: 600; line-height: 1.5; white-space: nowrap;
}
.badge-merge { color: ${c.positive}; background: ${c.positiveSoft}; }
.badge-queue { color: ${c.caution}; background: ${c.cautionSoft}; }
.badge-never-merge { color: ${c.negative}; background: ${c.negativeSoft}; }

.stats {
  display: grid; grid-template-columns: repeat(auto-fill, minmax(11rem, 1fr)); gap: 0.75rem;
  margin: 0 0 1.5rem; padding: 0;
}
.stat { margin: 0; padding: 0.75rem 1rem; border: 1px solid ${c.border}; border-radius: 6px; background: ${c.surface}; }
.stat dt { color: ${c.muted}; font-size: 0.875rem; }
.stat dd { margin: 0; }
.stat .stat-value { font-size: 1.5rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.stat .stat-hint { color: ${c.muted}; font-size: 0.8125rem; }

.wf-track {
  position: relative; height: 1.25rem; min-width: 12rem;
  /* The zero line: bars grow right (for) or left (against) from it. */
  background: linear-gradient(to right, transparent calc(50% - 1px), ${c.muted} calc(50% - 1px),
    ${c.muted} calc(50% + 1px), transparent calc(50% + 1px));
}
.wf-bar { position: absolute; top: 0.1875rem; bottom: 0.1875rem; min-width: 1px; }
.wf-pos { background: ${c.positive}; }
.wf-neg { background: ${c.negative}; }
.wf-prior { background: ${c.muted}; }
.wf-total { background: ${c.accent}; }
tr.wf-sum > th, tr.wf-sum > td { border-top: 2px solid ${c.text}; font-weight: 700; }

figure.chart { margin: 0 0 1.5rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figure.chart figcaption { color: ${c.muted}; font-size: 0.875rem; margin-top: 0.25rem; }

/* The steward app: the queue beside the pair, the decision form under it. */
.review { display: grid; grid-template-columns: minmax(16rem, 22rem) minmax(0, 1fr); gap: 1.5rem; align-items: start; }
.review h2 { margin-top: 0; }
.review-queue { position: sticky; top: 0.5rem; max-height: calc(100vh - 1rem); overflow-y: auto; }
.review-summary { color: ${c.muted}; font-size: 0.875rem; }
.review-list { list-style: none; padding: 0; margin: 0 0 0.75rem; }
.review-item {
  display: flex; justify-content: space-between; gap: 0.5rem; width: 100%; text-align: left; font: inherit;
  font-size: 0.875rem; padding: 0.375rem 0.5rem; margin: 0 0 2px; border: 1px solid ${c.border}; border-radius: 4px;
  background: ${c.background}; color: ${c.text}; cursor: pointer;
}
.review-item.current { border-color: ${c.accent}; box-shadow: inset 3px 0 0 ${c.accent}; background: ${c.surface}; }
.review-item.decided .review-item-names { text-decoration: line-through; }
.review-item-names { overflow-wrap: anywhere; }
.review-item-score { color: ${c.muted}; white-space: nowrap; font-variant-numeric: tabular-nums; }
.review-pager, .review-actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
.review button:not(.review-item) {
  font: inherit; padding: 0.375rem 0.75rem; border: 1px solid ${c.border}; border-radius: 6px;
  background: ${c.surface}; color: ${c.text}; cursor: pointer;
}
.review button.action-merge { color: ${c.positive}; border-color: ${c.positive}; }
.review button.action-never { color: ${c.negative}; border-color: ${c.negative}; }
.review button:disabled { color: ${c.muted}; cursor: default; }
.review-decision { border-top: 1px solid ${c.border}; padding: 0.75rem 0 0.5rem; margin-top: 1rem; position: sticky; bottom: 0; background: ${c.background}; }
.review-decision label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.review-decision textarea { width: 100%; box-sizing: border-box; font: inherit; padding: 0.375rem; margin-bottom: 0.5rem; }
.review-status { min-height: 1.5em; margin-top: 0.5rem; }
.review-problem, .problem { color: ${c.negative}; font-weight: 600; }
.review-key code { overflow-wrap: anywhere; }
@media (max-width: 50rem) { .review { grid-template-columns: 1fr; } .review-queue { position: static; max-height: none; } }

@media print {
  :root { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  header.site, .skip-link, nav.toc { display: none; }
  main { max-width: none; padding: 0; }
  .table-scroll { overflow: visible; border: 0; }
  tr, figure, .stat { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
