import { html, type Html } from "../html.js";

/** What the matcher decided (or would decide) for a pair. */
export type BadgeKind = "merge" | "queue" | "never-merge";

/** Each badge has a symbol as well as a colour, so the three stay apart without colour vision. */
const BADGES: Record<BadgeKind, { symbol: string; text: string }> = {
  merge: { symbol: "✓", text: "merge" },
  queue: { symbol: "?", text: "queue" },
  "never-merge": { symbol: "✕", text: "never merge" },
};

export function badge(kind: BadgeKind, text?: string): Html {
  const b = BADGES[kind];
  return html`<span class="badge badge-${kind}"><span aria-hidden="true">${b.symbol}</span>${text ?? b.text}</span>`;
}
