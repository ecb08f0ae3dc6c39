// npm run bench:validate — generates a repository of 2,000 config files and times `clue validate` over it against
// a baseline process that only reads and YAML-parses the same files. Runs are interleaved and the median is taken,
// so both see the same machine load.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const FILES = Number(process.env.BENCH_FILES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "bin/clue.js");
const dir = mkdtempSync(join(tmpdir(), "clue-bench-"));

function write(path, text) {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}

// A realistic mix of kinds, each file valid and cross-referenced, so every lint rule does its normal work. Every
// validation has a pattern of its own (the two counts, modulo 50 and 61, never repeat a pair below 3,050 files), so
// every pattern is translated and compiled to RE2 once; counts stay as small as real ones, since an RE2 program, and
// the time to compile it, grows with its counts (~2 µs per unit).
const entities = Math.max(1, Math.floor(FILES / 10));
let count = 0;
const fieldsOf = (i) => [
  "id",
  "email",
  "phone",
  "first_name",
  "last_name",
  "country",
  "updated_at",
  `attr_${i}`,
];
for (let i = 0; i < entities; i++, count++) {
  write(
    `config/entities/entity_${i}.yaml`,
    `# Entity ${i}\nentity: Entity${i}\ndescription: Generated entity ${i}.\nfields:\n` +
      fieldsOf(i)
        .map(
          (f) =>
            `  ${f}: { type: ${f === "updated_at" ? "datetime" : "string"}${f === "id" ? ", required: true" : ""}${f === "email" ? ", pii: true" : ""} }`,
        )
        .join("\n") +
      "\n",
  );
}
const kinds = ["mapping", "validation", "cleaning", "export", "contract", "dedup"];
for (let i = 0; count < FILES; i++, count++) {
  const e = i % entities;
  const kind = kinds[i % kinds.length];
  if (kind === "mapping") {
    write(
      `config/mappings/source_${i}.yaml`,
      `entity: Entity${e}\nsource: source-${i}\nfields:\n${fieldsOf(e)
        .map((f) => `  ${f}: $.record.${f}`)
        .join("\n")}\n`,
    );
  } else if (kind === "validation") {
    write(
      `config/validations/rule_${i}.yaml`,
      `rule: email_${i}\nentity: Entity${e}\nfield: email\ncheck: { regex: "^[^@\\\\s]+@[^@\\\\s]+\\\\.[a-z]{2,${2 + (i % 50)}}(\\\\.[a-z]{2,${2 + (i % 61)}})?$" }\nseverity: high\non_fail: { action: flag }\n---\nrule: country_${i}\nentity: Entity${e}\nfield: country\ncheck: { enum: [AU, NZ, GB, US] }\nthreshold: { max_fail_ratio: 0.05 }\n`,
    );
  } else if (kind === "cleaning") {
    write(
      `config/cleaning/project_${i}.yaml`,
      `project: clean_${i}\nentity: Entity${e}\nschedule: "0 * * * *"\nsteps:\n  - name: email\n    action: set\n    field: email\n    value: lower(trim(email))\n  - name: phone\n    when: phone is not null\n    action: set\n    field: phone\n    value: to_e164(phone, default_country="AU")\n`,
    );
  } else if (kind === "export") {
    write(
      `config/exports/export_${i}.json`,
      JSON.stringify(
        {
          name: `export-${i}`,
          type: "sql-table",
          contract: `contract_${i + 1}`,
          options: {
            connection: "${var.warehouse}",
            schema: "mdm",
            table: `t_${i}`,
            mode: "upsert",
            primary_key: ["contact_id"],
          },
          mapping: {
            contact_id: `Entity${e}.id`,
            email: `Entity${e}.email`,
            updated_at: `Entity${e}.updated_at`,
          },
          schedule: "0 * * * *",
        },
        null,
        2,
      ),
    );
  } else if (kind === "contract") {
    write(
      `config/contracts/contract_${i}.yaml`,
      `name: contract_${i}\nprimary_key: contact_id\ndelivery: { type: sql-table, schedule: hourly }\nsla: { freshness_p95_minutes: 60 }\ncompatibility: additive_only\ncolumns:\n  contact_id: { type: string }\n  email: { type: string }\n  updated_at: { type: datetime }\n`,
    );
  } else {
    write(
      `config/dedup/dedup_${i}.yaml`,
      `name: dedup-${i}\nentity: Entity${e}\nrules:\n  - name: exact_email\n    when: lower(email) == lower(other.email)\n    confidence: 0.98\n  - name: phone\n    when: e164(phone) == e164(other.phone)\n    confidence: 0.95\nauto_approve_threshold: 0.97\nqueue_threshold: 0.85\nsurvivorship:\n  default: most_recent\n  fields:\n    email: { strategy: most_frequent }\n`,
    );
  }
}
for (const env of ["local", "test", "prod"]) {
  write(
    `env/${env}.yaml`,
    `name: ${env}\ntarget: { type: local, path: .clue/${env} }\nvariables: { warehouse: wh-${env} }\n`,
  );
}

const baseline = `
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
let docs = 0;
const walk = (d) => { for (const e of readdirSync(d, { withFileTypes: true })) { const p = join(d, e.name);
  if (e.isDirectory()) walk(p); else for (const doc of parseAllDocuments(readFileSync(p, "utf8"))) { doc.toJS(); docs++; } } };
walk(join(process.argv[2], "config")); walk(join(process.argv[2], "env"));
if (docs === 0) throw new Error("baseline parsed nothing");
`;
writeFileSync(join(repo, "bench/.baseline.mjs"), baseline);

function time(args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) {
    throw new Error(`a benchmark process failed:\n${result.stdout.toString().slice(0, 2000)}`);
  }
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { baseline: [], validate: [], version: [] };
try {
  for (let r = 0; r < RUNS; r++) {
    results.baseline.push(time([join(repo, "bench/.baseline.mjs"), dir]));
    results.validate.push(time([bin, "validate", "--project", dir, "--format", "json"]));
    results.version.push(time([bin, "--version"]));
  }
} finally {
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
  else console.log(dir);
  rmSync(join(repo, "bench/.baseline.mjs"), { force: true });
}
const b = median(results.baseline);
const v = median(results.validate);
const version = median(results.version);
const node = execFileSync(process.execPath, ["--version"]).toString().trim();
console.log(
  `clue validate over ${FILES} generated config files (node ${node}, median of ${RUNS} interleaved runs)`,
);
console.log(`  baseline (read + YAML-parse, one process): ${b.toFixed(0)} ms`);
console.log(`  clue validate:                             ${v.toFixed(0)} ms`);
console.log(`  ratio:                                     ${(v / b).toFixed(2)} (goal <= 1.5)`);
console.log(`  cold clue --version:                       ${version.toFixed(0)} ms (goal < 200)`);
