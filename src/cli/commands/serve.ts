import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { keepOutOfGit } from "../../io/work-dir.js";
import { parseClient, type Client } from "../../serve/auth.js";
import { JournalCorruptError } from "../../serve/journal.js";
import { startServer, type RunningServer } from "../../serve/server.js";
import { startCluedinStandIn } from "./serve-cluedin.js";
import { StoreOpenError } from "../../serve/store-folder.js";
import { exitCodes, UsageError } from "../errors.js";
import type { GlobalOptions } from "../main.js";

export const usage = `Usage: clue serve --client ID:SECRET[:SCOPES] [options]
       clue serve --api cluedin [options]

Runs the reference implementation of the target REST contract (openapi/clue-target.openapi.yaml) on 127.0.0.1,
for local development and integration tests. Resources, locks, releases, the audit trail and idempotency keys
persist in --data; access tokens live in memory, so clients get a new one after a restart. When ready it prints
one line: "clue serve listening on http://127.0.0.1:PORT (data: DIR)". An access log goes to stderr.

With --api cluedin it is instead a local stand-in for the part of CluedIn's published API the cluedin target
uses (see README): no --client; API tokens come from CLUE_SERVE_TOKENS ("token" or "token:read", comma-separated)
and password-login users from CLUE_SERVE_USERS ("email:password" or "email:password:read"); its root plays the
organisation URL (/auth/connect/token, /api/status, /api/api/v1/...). Every request is logged, without secrets, to
DIR/requests.jsonl with whether it conformed to the published schemas; DIR/entities.json, if present, holds the
golden records rule filters are evaluated over.

Options:
  --api clue|cluedin     which API to serve (default: clue, the target REST contract)
  --org NAME             --api cluedin: the organisation name, which the token endpoint wants as client_id
                         (default: clue)
  --port PORT            the port (default: 8080; 0 picks a free one, printed)
  --data DIR             where the store lives (default: .clue/serve, or .clue/serve-cluedin with --api cluedin);
                         an empty or new folder, or an earlier store
  --client ID:SECRET[:SCOPES]
                         a client that may ask for tokens (repeat for several); SCOPES space- or +-separated:
                         config:read, config:write (default: these two) and locks:force (break a lock another
                         client took: clue unlock --force; never by default). The secret may not hold ":" or ",".
                         Clients also come from CLUE_SERVE_CLIENTS (same syntax, comma-separated), which keeps
                         secrets off the command line.
  --token-ttl SECONDS    how long a token lasts (default: 3600)
  --latency MS           delay every /api answer by MS milliseconds
  --fail-rate P          answer this fraction (0 to 1) of /api requests with 503: half of them before doing
                         anything, half after the work is committed but before answering (the lost answer a
                         retry with the same Idempotency-Key must survive)
  --rate-limit N         allow N /api requests a second per client; beyond that 429 with Retry-After
  --seed N               seed the --fail-rate draws, so a test sees the same failures every run
  -h, --help             show this help

Stops on SIGTERM or SIGINT, after the requests in flight. Exit codes: 0 stopped, 1 the store or port could not be
opened, 64 bad usage.

Examples:
  clue serve --port 8080                            # clue's target REST contract on 127.0.0.1:8080
  clue serve --api cluedin --port 9000              # a local stand-in for CluedIn's API`;

export async function run(args: string[], _global: GlobalOptions): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      api: { type: "string" },
      org: { type: "string" },
      port: { type: "string" },
      data: { type: "string" },
      client: { type: "string", multiple: true },
      "token-ttl": { type: "string" },
      latency: { type: "string" },
      "fail-rate": { type: "string" },
      "rate-limit": { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return exitCodes.ok;
  }
  const port = number(values.port, "--port", { min: 0, max: 65535, integer: true }) ?? 8080;
  const failRate = number(values["fail-rate"], "--fail-rate", { min: 0, max: 1 });
  const rateLimit = number(values["rate-limit"], "--rate-limit", { min: 1, integer: true });
  const latencyMs = number(values.latency, "--latency", { min: 0, integer: true });
  const tokenTtlSeconds = number(values["token-ttl"], "--token-ttl", { min: 1, integer: true });
  const seed = number(values.seed, "--seed", { min: 0, integer: true });
  const api = values.api ?? "clue";
  if (api !== "clue" && api !== "cluedin")
    throw new UsageError(`--api must be clue or cluedin (got "${api}")`);
  if (api === "clue" && values.org !== undefined) throw new UsageError("--org goes with --api cluedin");
  if (api === "cluedin" && values.client !== undefined)
    throw new UsageError("--api cluedin takes no --client: give CLUE_SERVE_TOKENS or CLUE_SERVE_USERS");
  const dataDir = resolve(values.data ?? (api === "clue" ? ".clue/serve" : ".clue/serve-cluedin"));
  keepOutOfGit(dataDir);
  const common = {
    port,
    dataDir,
    ...(failRate !== undefined ? { failRate } : {}),
    ...(rateLimit !== undefined ? { rateLimit } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(tokenTtlSeconds !== undefined ? { tokenTtlSeconds } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };

  let server: RunningServer;
  try {
    server =
      api === "cluedin"
        ? await startCluedinStandIn(common, values.org ?? "clue", process.env)
        : await startServer({
            ...common,
            clients: readClients(values.client ?? [], process.env.CLUE_SERVE_CLIENTS),
          });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (
      error instanceof StoreOpenError ||
      error instanceof JournalCorruptError ||
      code === "EADDRINUSE" ||
      code === "EACCES"
    ) {
      process.stderr.write(`clue serve: ${(error as Error).message}\n`);
      return exitCodes.problems;
    }
    throw error;
  }
  process.stdout.write(`clue serve listening on ${server.url} (data: ${dataDir})\n`);
  const running = server;
  await new Promise<void>((stopped) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      process.stderr.write(`clue serve: ${signal}, finishing the requests in flight\n`);
      void running.close().then(stopped);
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  return exitCodes.ok;
}

/** --client flags first, then CLUE_SERVE_CLIENTS; one id given twice is a mistake worth stopping for. */
function readClients(flags: string[], fromEnv: string | undefined): Client[] {
  const specs = [
    ...flags.map((text, i) => ({ text, label: `--client #${i + 1}` })),
    ...(fromEnv ?? "")
      .split(",")
      .map((text) => text.trim())
      .filter(Boolean)
      .map((text, i) => ({ text, label: `CLUE_SERVE_CLIENTS entry ${i + 1}` })),
  ];
  if (specs.length === 0)
    throw new UsageError("give at least one client: --client ID:SECRET[:SCOPES] or CLUE_SERVE_CLIENTS");
  const clients: Client[] = [];
  for (const { text, label } of specs) {
    const parsed = parseClient(text, label);
    if ("problem" in parsed) throw new UsageError(parsed.problem);
    if (clients.some((c) => c.id === parsed.id))
      throw new UsageError(`${label}: client ${parsed.id} is given twice`);
    clients.push(parsed);
  }
  return clients;
}

function number(
  text: string | undefined,
  flag: string,
  { min, max = Infinity, integer = false }: { min: number; max?: number; integer?: boolean },
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (
    text.trim() === "" ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  )
    throw new UsageError(
      `${flag} must be ${integer ? "a whole number" : "a number"} from ${min}${max === Infinity ? "" : ` to ${max}`} (got "${text}")`,
    );
  return value;
}
