import { parseArgs } from "node:util";
import { parse } from "../../expr/parser.js";
import { InputError, type SourceFormat } from "../../io/records.js";
import { blockingKeys } from "../../matching/blocking.js";
import { blockingCost, type PassOrigin } from "../../matching/engine.js";
import { dedupOf } from "../../matching/match-stage.js";
import { sourceNumbers } from "../../matching/train.js";
import { PipelineError } from "../../pipeline/compile-pipeline.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { loadValidProject } from "../project-check.js";
import { inputPairs, readValidated } from "../validated-inputs.js";

export const usage = `Usage: clue blocking --source NAME --input FILE [--source NAME --input FILE ...] [options]

What matching would cost on these records, before a run: for each blocking pass of the entity's dedup file (a
rule's own keys, the equalities in its \`when\`, or a \`blocking:\` key), how many records have a key, how many
blocks of two or more there are, the largest, and the candidate pairs it makes: the sum of n(n-1)/2 over its
blocks (cross-source pairs only under link_only), counted from the block sizes, with nothing compared. The total
is next to the number of all pairs; a pair two passes share counts in both, so the total is an upper bound of what
clue run compares. A rule with no key and no \`blocking:\` compares every pair, and this says so.

Options:
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          a JSON Lines, JSON array or CSV file, as for clue run
  --entity NAME         the entity, when a source maps onto several
  --input-format FMT    jsonl | json | csv, when the file's name does not say
  --format FMT          human | json (default: human)
  --project DIR         the project's root (default: the current folder)
  -h, --help            show this help

Exit codes: 0 counted, 1 the config or an input has problems, 64 bad usage.`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      source: { type: "string", multiple: true },
      input: { type: "string", multiple: true },
      entity: { type: "string" },
      "input-format": { type: "string" },
      format: { type: "string" },
      project: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const pairs = inputPairs(values.source, values.input);
  const format = values.format ?? "human";
  if (format !== "human" && format !== "json")
    throw new UsageError(`unknown --format "${format}"; use human or json`);
  const inputFormat = values["input-format"] as SourceFormat | undefined;
  if (inputFormat !== undefined && !["jsonl", "json", "csv"].includes(inputFormat))
    throw new UsageError(`unknown --input-format "${inputFormat}"; use jsonl, json or csv`);
  const fail = (message: string) => {
    process.stderr.write(`clue blocking: ${message}\n`);
    return exitCodes.problems;
  };
  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const { project } = loaded;
  try {
    const { validated, context } = await readValidated(project, pairs, {
      entity: values.entity,
      format: inputFormat,
    });
    const found = dedupOf(project, validated, context);
    if (!found) {
      const entity = validated[0]?.pipeline.entity;
      return fail(
        entity === undefined
          ? "the inputs hold no records"
          : `no dedup rules for entity ${entity} under config/dedup/`,
      );
    }
    const { dedup, compiled, records } = found;
    const cost = blockingCost(records, {
      rules: compiled.rules,
      blocking: compiled.blocking,
      parts: compiled.parts,
      autoApprove: compiled.autoApprove,
      queue: compiled.queue,
      merge: [],
      neverMerge: [],
      ...(compiled.model ? { model: compiled.model } : {}),
      ...(compiled.linkOnly ? { sources: sourceNumbers(records), linkOnly: true } : {}),
    });
    // A pass named by its keys as written: a rule's equalities (from its `when`), or the `blocking:` entry.
    const keysOf = (origin: PassOrigin): string[] => {
      if ("blocking" in origin) return [dedup.spec.blocking?.[origin.blocking] ?? "?"];
      const when = dedup.spec.rules?.find((r) => r.name === origin.rule)?.when ?? "";
      const parsed = parse(when);
      return parsed.ok ? blockingKeys(parsed.node).map((k) => when.slice(k.span.start, k.span.end)) : [];
    };
    const passes = cost.passes.map((p) => ({
      ...("rule" in p.origin ? { rule: p.origin.rule } : { blocking: p.origin.blocking }),
      keys: keysOf(p.origin),
      keyed: p.keyed,
      blocks: p.blocks,
      largest: p.largest,
      pairs: p.pairs,
    }));
    const report = {
      format_version: 1,
      file: dedup.doc.file.path,
      records: records.length,
      all_pairs_compared: cost.allPairs,
      passes,
      total: cost.total,
      all_pairs: cost.everyPair,
      share: cost.everyPair === 0 ? 0 : cost.total / cost.everyPair,
    };
    if (format === "json") {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return exitCodes.ok;
    }
    const n = (x: number) => x.toLocaleString("en-US");
    const lines = [`clue blocking: ${report.file} on ${n(records.length)} records`];
    if (cost.allPairs)
      lines.push(
        `  a rule (or the model) has no blocking key and the file no \`blocking:\`: every pair is compared, ${n(cost.everyPair)} pairs.`,
      );
    else {
      const rows = [
        ["pass", "keys", "records keyed", "blocks", "largest", "pairs"],
        ...passes.map((p) => [
          "rule" in p ? `rule ${p.rule}` : `blocking[${p.blocking}]`,
          p.keys.join(", "),
          n(p.keyed),
          n(p.blocks),
          n(p.largest),
          n(p.pairs),
        ]),
      ];
      const widths = rows[0]?.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? "").length))) ?? [];
      lines.push(
        ...rows.map((r) => `  ${r.map((c, k) => c.padEnd(widths[k] ?? 0)).join("  ")}`.trimEnd()),
        "",
        `  total: ${n(cost.total)} candidate pairs (at most; passes may share pairs) of ${n(cost.everyPair)} pairs (${(report.share * 100).toFixed(3)}%)`,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof InputError) return fail(error.message);
    if (error instanceof PipelineError) {
      if (error.usage) throw new UsageError(error.message);
      return fail(error.message);
    }
    throw error;
  }
}
