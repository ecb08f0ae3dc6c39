import type { PairDetail } from "../../steward/queue.js";
import { badge, recordCompare, statGrid, waterfall } from "../components.js";
import { formatPercent } from "../format.js";
import { html } from "../html.js";
import { page } from "../page.js";
import { CLIENT_SCRIPT } from "./client.js";

/**
 * The steward app's page: the queue on the left (paged), the pair on the right, and the decision form below it, kept
 * in view at the foot of the window however tall the pair is.
 * The form stays on the page while pairs come and go, so a reason typed before a refused decision is still there.
 * The token is read by the script from the page's own URL; it is not written into the page.
 */
export function reviewPage(_token: string): string {
  const body = html`<div class="review">
<nav class="review-queue" aria-labelledby="queue-title">
<h2 id="queue-title">Queue</h2>
<p id="queue-summary" class="review-summary" aria-live="polite">Loading…</p>
<ol id="queue-list" class="review-list"></ol>
<div class="review-pager">
<button type="button" id="previous-page">Previous page</button>
<button type="button" id="next-page">Next page</button>
</div>
</nav>
<div class="review-main">
<section id="pair" class="review-pair" aria-labelledby="pair-title" aria-live="polite">
<h2 id="pair-title">No pair selected</h2>
<div id="pair-body"></div>
</section>
<form id="decision" class="review-decision" aria-labelledby="decision-title">
<h2 id="decision-title">Decision</h2>
<label for="reason">Reason <span class="caption-note">(written into the dedup file with your name and today's date)</span></label>
<textarea id="reason" name="reason" rows="2"></textarea>
<div class="review-actions">
<button type="button" data-action="merge" class="action-merge"><kbd>m</kbd> Merge</button>
<button type="button" data-action="never_merge" class="action-never"><kbd>n</kbd> Never merge</button>
<button type="button" data-action="skip"><kbd>s</kbd> Skip</button>
<button type="button" id="reload">Reload</button>
</div>
<p id="status" class="review-status" role="status"></p>
</form>
<details class="review-help">
<summary>Keyboard</summary>
<p><kbd>j</kbd> / <kbd>k</kbd> next and previous pair · <kbd>m</kbd> merge · <kbd>n</kbd> never merge ·
<kbd>s</kbd> skip · <kbd>r</kbd> the reason field (<kbd>Esc</kbd> leaves it) · <kbd>?</kbd> this help</p>
</details>
</div>
</div>`;
  return page({
    title: "Review queue",
    context: "steward review",
    body,
    script: CLIENT_SCRIPT,
    connectSrc: "'self'",
  });
}

/** One queued pair, as the app shows it: the same components as the report. */
export function reviewPair(detail: PairDetail, position: number): string {
  const scored = html`${statGrid([
    { label: "Score", value: detail.score.toFixed(4) },
    ...(detail.explain
      ? [{ label: "Match probability", value: formatPercent(detail.explain.probability) }]
      : []),
    { label: "Fields that differ", value: `${detail.differing.length} of ${detail.fields.length}` },
  ])}`;
  const rules =
    detail.rules.length > 0
      ? html`<p>Rules that hold: ${detail.rules.map((r, k) => html`${k > 0 ? ", " : ""}<code>${r}</code>`)}</p>`
      : html`<p>No deterministic rule holds: the score is the model's.</p>`;
  const cluster = (label: string, members: readonly string[]) =>
    html`<li>${label}: ${members.length === 1 ? "on its own" : `a cluster of ${members.length}`} (${members.slice(0, 8).join(", ")}${members.length > 8 ? ", …" : ""})</li>`;
  const joined = new Set([...detail.clusters.a, ...detail.clusters.b]).size;
  const together = detail.clusters.a.includes(detail.b);
  return html`<p class="review-position">Pair ${position + 1} ${badge("queue", "queued")}</p>
<p class="review-key"><code>${detail.a}</code> and <code>${detail.b}</code></p>
${scored}
${rules}
${recordCompare({ fields: detail.fields, a: { label: detail.a, values: detail.values.a }, b: { label: detail.b, values: detail.values.b } })}
${detail.explain && waterfall(detail.explain, { caption: "Why it scored this: the model's weights" })}
<h3>Clusters</h3>
${
  together
    ? html`<p>Other merges already put both in one cluster of ${joined} records (${detail.clusters.a.slice(0, 8).join(", ")}${joined > 8 ? ", …" : ""}): a never merge splits it.</p>`
    : html`<ul class="review-clusters">
${cluster(detail.a, detail.clusters.a)}
${cluster(detail.b, detail.clusters.b)}
</ul>
${
  detail.vetoes.length === 0
    ? html`<p>Merging joins them into one golden record of ${joined} records.</p>`
    : html`<p class="review-veto">A merge would not join them whole: never merge keeps ${detail.vetoes.map(([x, y], k) => html`${k > 0 ? ", " : ""}<code>${x}</code> and <code>${y}</code>`)} apart, so the clusters are split around ${detail.vetoes.length === 1 ? "that decision" : "those decisions"}.</p>`
}`
}`.text;
}
