import { spawn, spawnSync } from "node:child_process";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { matchStage } from "../../matching/match-stage.js";
import { ReviewSession } from "../../steward/session.js";
import { startReviewServer } from "../../steward/server.js";
import { reviewPage, reviewPair } from "../../web/review/page.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";
import { loadValidProject } from "../project-check.js";
import { inputProblem, pairingArgs, pairingOptions, readValidated } from "../validated-inputs.js";

export const usage = `Usage: clue review --source NAME --input FILE [--source NAME --input FILE ...] [options]

A local web app for stewards: the pairs the dedup rules queue for review on these inputs, most uncertain first,
each side by side with every field (differences marked), the rules or comparison weights that fired and the
clusters it would join. Decide merge, never merge or skip, with a reason, by mouse or keyboard: merge and never
merge are written into the dedup file's decisions: (reviewer from git config, today's date), nothing else in the
file changes, so the outcome is a git diff to review. The app listens on 127.0.0.1 only, and every request needs
the one-time token in the URL it prints.

Options:
  --source NAME         the source whose mapping reads the next --input (repeat for several sources)
  --input FILE          a JSON Lines, JSON array or CSV file, as for clue run
  --entity NAME         the entity, when a source maps onto several
  --input-format FMT    jsonl | json | csv | parquet, when the file's name does not say
  --port P              the port (default: a free one)
  --no-open             do not open a browser
  --project DIR         the project's root (default: here, or the nearest folder above with config/)
  -h, --help            show this help

Keys in the app: j / k next and previous pair, m merge, n never merge, s skip, r the reason field, ? help.

Prints the URL (token included) on stdout once the app is ready; stops on Ctrl-C.
Exit codes: 0 stopped, 1 the config or an input has problems or the port is taken, 64 bad usage.

Example:
  clue review --source crm-contacts --input config/samples/crm-contacts.jsonl \\
    --source billing --entity Person --input config/samples/billing.csv`;

export async function run(args: string[], global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...pairingOptions, port: { type: "string" }, "no-open": { type: "boolean" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const { pairs, inputFormat } = pairingArgs(values);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number (0 to 65535), got "${values.port}"`);
  const fail = (message: string) => {
    process.stderr.write(`clue review: ${message}\n`);
    return exitCodes.problems;
  };
  const loaded = loadValidProject(values.project, global.color);
  if (!loaded) return exitCodes.problems;
  const { root } = loaded;

  // The project is read again on every reload: the decisions written since change what is queued.
  let first = true;
  const matcher = async () => {
    const current = first ? loaded : loadValidProject(values.project, global.color);
    first = false;
    if (!current)
      throw new NothingToReview(
        "the config has problems now (clue validate shows them); fix them and reload",
      );
    const { validated, context } = await readValidated(current.project, pairs, {
      entity: values.entity,
      format: inputFormat,
    });
    const matched = matchStage(current.project, validated, context);
    if (!matched) {
      const entity = validated[0]?.pipeline.entity;
      throw new NothingToReview(
        entity === undefined
          ? "the inputs hold no records to review"
          : `no dedup rules for entity ${entity} under config/dedup/`,
      );
    }
    return matched;
  };
  const session = new ReviewSession(root, matcher, reviewerOf(root), () =>
    new Date().toISOString().slice(0, 10),
  );
  try {
    await session.load();
  } catch (error) {
    return fail(error instanceof NothingToReview ? error.message : inputProblem(error));
  }

  let app: Awaited<ReturnType<typeof startReviewServer>>;
  try {
    app = await startReviewServer({ session, port, page: reviewPage, pair: reviewPair });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      return fail(
        `port ${port} is in use (another clue review?): choose another with --port, or leave --port out for a free one`,
      );
    if ((error as NodeJS.ErrnoException).code === "EACCES")
      return fail(
        `port ${port} needs privileges this user lacks: choose one above 1023, or leave --port out`,
      );
    throw error;
  }
  const { total } = session.page(0, 0);
  process.stderr.write(
    `clue review: ${total} queued pair${total === 1 ? "" : "s"} of ${session.entity}; decisions go into ${session.dedupFile}. Ctrl-C stops.\n`,
  );
  process.stdout.write(`${app.url}\n`);
  if (!values["no-open"]) openBrowser(app.url);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await app.close();
  return exitCodes.ok;
}

/** Why there is no queue to show: told to the steward as it is. */
class NothingToReview extends Error {}

/** `Name <email>` from git config, as a commit would be signed; the login name when git has none. */
function reviewerOf(root: string): string {
  const get = (key: string) => {
    const result = spawnSync("git", ["config", "--get", key], { cwd: root, encoding: "utf8" });
    return result.status === 0 ? result.stdout.trim() : "";
  };
  const name = get("user.name");
  const email = get("user.email");
  if (name === "" && email === "") return userInfo().username;
  return email === "" ? name : `${name || email} <${email}>`;
}

/** The system's way to open a URL; a machine without one (CI, a server) just has the printed URL. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", '""', url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // No opener: the URL is printed.
  }
}
