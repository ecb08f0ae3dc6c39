// npm run bench:plan — fills a real `clue serve` with 5,000 resources (applied by clue from a generated project),
// then times `clue plan` against it (nothing to change: every resource is read, page by page, and compared) and
// `clue apply` of 1,000 changes. Both are whole CLI runs, so the figures include loading and validating the
// project; `clue validate` on the same project is timed too, to show how much of a plan that is.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 5000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PER_FILE = 100;
const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const dir = mkdtempSync(join(tmpdir(), "clue-bench-plan-"));
const data = join(dir, "serve-data");
const secret = `bench-${Math.random().toString(36).slice(2)}-secret`;

function write(path, text) {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}

/** One entity and RESOURCES - 1 validations, PER_FILE documents a file; `severity` is what the changes flip. */
function generate(changed) {
  write(
    "config/entities/person.yaml",
    "entity: Person\nfields:\n  id: { type: string, required: true }\n  email: { type: string, pii: true }\n",
  );
  const rules = RESOURCES - 1;
  for (let f = 0; f * PER_FILE < rules; f++) {
    const docs = [];
    for (let i = f * PER_FILE; i < Math.min(rules, (f + 1) * PER_FILE); i++)
      docs.push(
        `rule: rule_${String(i).padStart(5, "0")}\nentity: Person\nfield: email\ncheck: { not_blank: true }\n` +
          `severity: ${i < changed ? "high" : "medium"}\ndescription: Generated rule ${i}.\n`,
      );
    write(`config/validations/rules_${f}.yaml`, docs.join("---\n"));
  }
  write(
    "env/bench.yaml",
    "name: bench\ntarget:\n  type: clue-server\n  url: { from_env: BENCH_HOST }\n  auth:\n    type: client_credentials\n" +
      "    client_id: { from_env: BENCH_CLIENT_ID }\n    client_secret: { from_env: BENCH_CLIENT_SECRET }\n",
  );
  write("env/local.yaml", "name: local\ntarget: { type: local }\n");
}

async function serve() {
  const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--data", data], {
    env: { ...process.env, CLUE_SERVE_CLIENTS: `bench:${secret}` },
    stdio: ["ignore", "pipe", "ignore"],
  });
  const url = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`clue serve exited ${code}`)));
  });
  return { child, url };
}

function timed(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, ...args, "--project", dir], {
    env,
    encoding: "utf8",
    input: "",
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && !(args[0] === "plan" && result.status === 2)) {
    process.stderr.write(result.stderr);
    throw new Error(`clue ${args.join(" ")} exited ${result.status}`);
  }
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${Math.round(ms).toLocaleString("en-US")} ms`;

const server = await serve();
try {
  const env = {
    ...process.env,
    BENCH_HOST: server.url,
    BENCH_CLIENT_ID: "bench",
    BENCH_CLIENT_SECRET: secret,
  };
  generate(0);
  const fill = timed(["apply", "--env", "bench", "--yes"], env);
  const validate = [];
  const plans = [];
  for (let r = 0; r < RUNS; r++) {
    validate.push(timed(["validate"], env).ms);
    const plan = timed(["plan", "--env", "bench", "--detailed-exitcode"], env);
    if (!plan.stdout.startsWith("No changes"))
      throw new Error(`expected an empty plan, got: ${plan.stdout.slice(0, 200)}`);
    plans.push(plan.ms);
  }
  const applies = [];
  for (let r = 0; r < RUNS; r++) {
    // Each round flips the same CHANGES rules one way or the other, so every apply has exactly CHANGES updates.
    generate(r % 2 === 0 ? CHANGES : 0);
    const apply = timed(["apply", "--env", "bench", "--yes"], env);
    if (!apply.stderr.includes(`0 created, ${CHANGES} updated, 0 deleted`))
      throw new Error(`expected ${CHANGES} updates, got: ${apply.stderr}`);
    applies.push(apply.ms);
  }
  const rows = [
    [`fill: clue apply creating ${RESOURCES.toLocaleString("en-US")} resources`, fmt(fill.ms), ""],
    [`clue validate of the ${RESOURCES.toLocaleString("en-US")}-resource project`, fmt(median(validate)), ""],
    [
      `clue plan, ${RESOURCES.toLocaleString("en-US")} resources on the target, no changes`,
      fmt(median(plans)),
      "< 2,000 ms",
    ],
    [
      `clue apply of ${CHANGES.toLocaleString("en-US")} changes (updates)`,
      fmt(median(applies)),
      "< 10,000 ms",
    ],
  ];
  console.log(
    `\nclue plan / apply against clue serve on 127.0.0.1 (median of ${RUNS}; Node ${process.version})\n`,
  );
  for (const [what, figure, goal] of rows) console.log(`${what.padEnd(62)} ${figure.padStart(10)}  ${goal}`);
} finally {
  server.child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
