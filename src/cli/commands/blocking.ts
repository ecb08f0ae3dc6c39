import { parseArgs } from "node:util";
import { passKeys } from "../../matching/blocking.js";
import { blockingCost, DISTINCT_LIMIT, type PassOrigin } from "../../matching/engine.js";
import { matchOptionsOf } from "../../matching/match-stage.js";
import { exitCodes } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { loadValidProject } from "../project-check.js";
import { inputProblem, pairingArgs, pairingOptions, readDedup, table } from "../validated-inputs.js";

export const usage = `Usage: clue blocking --source NAME --input FILE [--source NAME --input FILE ...] [options]

What matching would cost on these records, before a run: for each blocking pass of the entity's dedup file (a
rule's own keys, the equalities in its \`when\`, or a \`blocking:\` key), how many records have a key, how many
blocks of two or more there are, the largest, and the candidate pairs it makes: the sum of n(n-1)/2 over its
blocks (cross-source pairs only under link_only), counted from the block sizes, with nothing compared. The total
is next to the number of all pairs; a pair two passes share counts in both. Then, when the passes hold at most
20,000,000 pairs, the pairs new to each pass (not brought together by an earlier one), listed but not compared: their
sum is what clue run compares. A rule with no key and no \`blocking:\` compares every pair, and this says so.

Options:
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          a JSON Lines, JSON array or CSV file, as for clue run
  --entity NAME         the entity, when a source maps onto several
  --input-format FMT    jsonl | json | csv | parquet, when the file's name does not say
  --format FMT          human | json (default: human)
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Exit codes: 0 counted, 1 the config or an input has problems, 64 bad usage.

Example:
  clue blocking --source crm-contacts --input config/samples/crm-contacts.jsonl \\
    --source billing --entity Person --input config/samples/billing.csv`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({ args, options: pairingOptions, strict: true, allowPositionals: false });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const { pairs, format, inputFormat } = pairingArgs(values);
  const fail = (message: string) => {
    process.stderr.write(`clue blocking: ${message}\n`);
    return exitCodes.problems;
  };
  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  try {
    const read = await readDedup(
      loaded.project,
      pairs,
      { entity: values.entity, format: inputFormat },
      "count",
    );
    if (!read.found) return fail(read.problem);
    const { dedup, compiled, records } = read.found;
    const cost = blockingCost(records, matchOptionsOf(compiled, records));
    const keysOf = (origin: PassOrigin) => passKeys(dedup.spec, origin);
    const passes = cost.passes.map((p) => ({
      ...("rule" in p.origin ? { rule: p.origin.rule } : { blocking: p.origin.blocking }),
      keys: keysOf(p.origin),
      keyed: p.keyed,
      blocks: p.blocks,
      largest: p.largest,
      pairs: p.pairs,
      new: p.new ?? null,
    }));
    const report = {
      format_version: 1,
      file: dedup.doc.file.path,
      records: records.length,
      all_pairs_compared: cost.allPairs,
      passes,
      total: cost.total,
      compared: cost.distinct ?? null,
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
      const rows: string[][] = [
        ["pass", "keys", "records keyed", "blocks", "largest", "pairs", "new"],
        ...passes.map((p) => [
          "rule" in p ? `rule ${p.rule}` : `blocking[${p.blocking}]`,
          p.keys.join(", "),
          n(p.keyed),
          n(p.blocks),
          n(p.largest),
          n(p.pairs),
          p.new === null ? "-" : n(p.new),
        ]),
      ];
      lines.push(
        ...table(rows),
        "",
        `  total: ${n(cost.total)} candidate pairs (passes may share pairs) of ${n(cost.everyPair)} pairs (${(report.share * 100).toFixed(3)}%)`,
        cost.distinct === undefined
          ? `  too many to list which are new (over ${n(DISTINCT_LIMIT)}): clue run compares at most the total.`
          : `  compared by clue run: ${n(cost.distinct)} (each pair once, in the first pass that brings it together)`,
      );
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    return exitCodes.ok;
  } catch (error) {
    return fail(inputProblem(error));
  }
}
