import { exitCodes, UsageError } from "./errors.js";
import { redactUsageMessage } from "./usage-redaction.js";
import { didYouMean } from "../util/did-you-mean.js";
import { version } from "./version.js";

export interface GlobalOptions {
  color: boolean;
  debug: boolean;
}

interface Command {
  summary: string;
  load(): Promise<{ run(args: string[], global: GlobalOptions): Promise<number>; usage: string }>;
}

/** The commands, loaded on demand so that `clue --version` and `clue --help` stay fast. */
const commands: Record<string, Command> = {
  init: {
    summary: "scaffold a config repository: example config, environments, workflows, editor settings",
    load: () => import("./commands/init.js"),
  },
  validate: {
    summary: "validate config/ and env/: schemas, cross-file lint, expressions, secrets",
    load: () => import("./commands/validate.js"),
  },
  run: {
    summary: "run the local evaluator on sample files and write one stage as JSON Lines",
    load: () => import("./commands/run.js"),
  },
  compile: {
    summary: "compile a stage of the pipeline into a job that runs without clue (a Spark job)",
    load: () => import("./commands/compile.js"),
  },
  test: { summary: "run the golden tests under config/tests/", load: () => import("./commands/test.js") },
  train: {
    summary: "estimate the probabilistic dedup model from the records and write it into the dedup file",
    load: () => import("./commands/train.js"),
  },
  evaluate: {
    summary: "measure the dedup rules against labelled pairs: precision, recall, F1, per threshold and rule",
    load: () => import("./commands/evaluate.js"),
  },
  blocking: {
    summary: "count the candidate pairs each blocking key makes on the inputs, without comparing them",
    load: () => import("./commands/blocking.js"),
  },
  review: {
    summary: "a local web app for stewards: decide the queued pairs, written into the dedup file's decisions",
    load: () => import("./commands/review.js"),
  },
  report: {
    summary: "one self-contained HTML report of a run: pass rates, dead letters, scores, clusters, blocking",
    load: () => import("./commands/report.js"),
  },
  serve: {
    summary: "run the target REST contract locally (for development and integration tests)",
    load: () => import("./commands/serve.js"),
  },
  plan: {
    summary: "show what apply would change on an environment's target",
    load: () => import("./commands/plan.js"),
  },
  apply: {
    summary: "apply the config to an environment's target",
    load: () => import("./commands/apply.js"),
  },
  promote: {
    summary: "apply the green release of one environment to the next (test → prod)",
    load: () => import("./commands/promote.js"),
  },
  import: {
    summary: "write what an environment's target holds back into clue YAML",
    load: () => import("./commands/import.js"),
  },
  diff: {
    summary: "what changed between two git revisions, what it breaks, and what it does to the data",
    load: () => import("./commands/diff.js"),
  },
  "release-notes": {
    summary: "release notes between two git revisions: summary, risk, rollback, owners, metrics",
    load: () => import("./commands/release-notes.js"),
  },
  unlock: { summary: "clear a target lock left by a killed run", load: () => import("./commands/unlock.js") },
  types: {
    summary: "write TypeScript types or JSON Schemas of entity records, export rows and event messages",
    load: () => import("./commands/types.js"),
  },
};

const help = `clue — config-as-code for a CluedIn-style master-data platform

Usage: clue <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join("\n")}

Global options:
  -h, --help       show help (also: clue <command> --help)
  -v, --version    print the version
  --no-color       never color the output (NO_COLOR is honoured too)
  --debug          print the stack of an unexpected error`;

/** Runs clue with the given arguments and returns the exit code. Never throws. */
export async function run(argv: string[]): Promise<number> {
  // `clue run ... | head`: a reader that stops early closes the pipe; that ends the run quietly, not with a stack.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(exitCodes.ok);
  });
  const global: GlobalOptions = {
    color: process.stdout.isTTY === true && !process.env.NO_COLOR && !argv.includes("--no-color"),
    debug: argv.includes("--debug"),
  };
  const args = argv.filter((a) => a !== "--no-color" && a !== "--debug" && a !== "--color");
  if (argv.includes("--color")) global.color = true;
  try {
    const [first, ...rest] = args;
    if (first === "--version" || first === "-v") {
      process.stdout.write(`${version()}\n`);
      return exitCodes.ok;
    }
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      process.stdout.write(`${help}\n`);
      return first === undefined ? exitCodes.usage : exitCodes.ok;
    }
    const command = commands[first];
    if (!command) {
      const guess = didYouMean(first, Object.keys(commands));
      throw new UsageError(`unknown command "${first}"${guess ? `; did you mean "${guess}"?` : ""}`);
    }
    const module = await command.load();
    try {
      return await module.run(rest, global);
    } catch (error) {
      throw suggestOption(error, first, module.usage);
    }
  } catch (error) {
    return report(error, global, args);
  }
}

/** The last word on an error. A message may quote what was typed, so it is redacted against the command line. */
function report(error: unknown, global: GlobalOptions, argv: readonly string[]): number {
  if (error instanceof UsageError || isParseArgsError(error)) {
    const message = redactUsageMessage((error as Error).message, argv);
    process.stderr.write(`clue: ${message}\nRun \`clue --help\` for usage.\n`);
    return exitCodes.usage;
  }
  if (global.debug) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  } else {
    const message = redactUsageMessage(error instanceof Error ? error.message : String(error), argv);
    process.stderr.write(
      `clue: internal error: ${message.split("\n")[0]} — this is a bug; please report it with the command you ran (add --debug for the stack).\n`,
    );
  }
  return exitCodes.internal;
}

/** util.parseArgs reports unknown or malformed options with these codes. */
/**
 * An unknown option, said with the nearest one the command takes (from its usage text): `--sorce` → `--source`.
 * Anything else is passed on as it is.
 */
function suggestOption(error: unknown, command: string, usage: string): unknown {
  if ((error as { code?: unknown } | null)?.code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION") return error;
  const typed = /Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
  if (typed === undefined) return error;
  const options = new Set(usage.match(/--[a-z][a-z-]*/g) ?? []);
  const guess = didYouMean(typed.split("=")[0] ?? typed, options);
  return new UsageError(
    `unknown option ${typed}${guess ? `; did you mean ${guess}?` : ""} (clue ${command} --help lists the options)`,
  );
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
