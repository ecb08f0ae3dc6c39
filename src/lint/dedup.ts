import { diagnosticAt } from "../config/locate.js";
import { resourcesOf } from "../config/project.js";
import { parse } from "../expr/parser.js";
import { blockingKeys, readsOther } from "../matching/blocking.js";
import type { LintRule } from "./rule.js";

/** Thresholds and survivorship settings that cannot work as written. */
export const dedupRule: LintRule = {
  name: "dedup",
  run(ctx) {
    for (const r of resourcesOf(ctx.project, "dedup")) {
      if (!r.valid) continue;
      const { spec } = r;
      if (spec.queue_threshold > spec.auto_approve_threshold) {
        ctx.report(
          diagnosticAt(
            r.doc,
            ["queue_threshold"],
            "dedup/threshold-order",
            `queue_threshold (${spec.queue_threshold}) is above auto_approve_threshold (${spec.auto_approve_threshold}).`,
            {
              hint: "Pairs at or above auto_approve_threshold merge; those between the two queue. Make queue_threshold the lower one.",
            },
          ),
        );
      }
      (spec.rules ?? []).forEach((rule, i) => {
        const parsed = parse(rule.when);
        if (parsed.ok && blockingKeys(parsed.node).length === 0 && (spec.blocking ?? []).length === 0) {
          ctx.report(
            diagnosticAt(
              r.doc,
              ["rules", i, "when"],
              "dedup/no-blocking-key",
              `Rule "${rule.name}" has no blocking key: it compares every pair of records.`,
              {
                hint: "Add an equality such as `postcode == other.postcode and ...` to the rule, or `blocking:` keys to the rule set.",
              },
            ),
          );
        }
        if (rule.confidence < spec.queue_threshold && rule.prior_only !== true) {
          ctx.report(
            diagnosticAt(
              r.doc,
              ["rules", i, "confidence"],
              "dedup/unreachable-rule",
              `Rule "${rule.name}" has confidence ${rule.confidence}, below queue_threshold ${spec.queue_threshold}: it can never match.`,
              {
                hint: "Raise its confidence, lower queue_threshold, or remove the rule.",
              },
            ),
          );
        }
      });
      // What the structure alone shows (no data at lint time): a model with nothing to block on, or a constant key.
      // A key most records share (a country, a mostly-empty field) is as costly; only `clue blocking` on data sees that.
      if (
        (spec.comparisons ?? []).length > 0 &&
        (spec.rules ?? []).length === 0 &&
        (spec.blocking ?? []).length === 0
      )
        ctx.report(
          diagnosticAt(
            r.doc,
            ["comparisons"],
            "dedup/quadratic-blocking",
            "The comparisons have no `blocking:` keys and no rules to take keys from: the model scores every pair of records.",
            {
              hint: "Add `blocking:` keys such as `postcode` or `lower(surname)`; `clue blocking` counts the pairs each key makes on sample data.",
            },
          ),
        );
      (spec.blocking ?? []).forEach((key, k) => {
        const parsed = parse(key);
        if (parsed.ok && readsOther(parsed.node) === "constant")
          ctx.report(
            diagnosticAt(
              r.doc,
              ["blocking", k],
              "dedup/quadratic-blocking",
              `Blocking key \`${key}\` reads no field: every record has the same key, so every pair is compared.`,
              {
                hint: "Block on a field, such as `postcode` or `lower(surname)`; `clue blocking` counts the pairs each key makes on sample data.",
              },
            ),
          );
      });
      const survivorship = spec.survivorship;
      for (const [field, choice] of Object.entries(survivorship?.fields ?? {})) {
        if (choice.strategy === "source_priority" && !choice.order && !survivorship?.source_order) {
          ctx.report(
            diagnosticAt(
              r.doc,
              ["survivorship", "fields", field, "strategy"],
              "dedup/source-priority-order",
              `Field "${field}" uses source_priority but no order of sources is given.`,
              {
                hint: "Add `order: [source, ...]` to the field, or `source_order:` to survivorship.",
              },
            ),
          );
        }
      }
      if (survivorship?.default === "source_priority" && !survivorship.source_order) {
        ctx.report(
          diagnosticAt(
            r.doc,
            ["survivorship", "default"],
            "dedup/source-priority-order",
            "The default strategy is source_priority but survivorship has no source_order.",
            {
              hint: "Add `source_order: [source, ...]` to survivorship.",
            },
          ),
        );
      }
    }
  },
};
