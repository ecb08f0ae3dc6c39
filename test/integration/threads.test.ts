/**
 * `clue run --threads N` writes the same output, byte for byte, as one thread: the same rows at every stage, the
 * same dead-letter file, the same summary and exit code. The example project (its cleaning, `unique` checks that
 * reject, quarantine, a reference table, dedup decisions, survivorship, a table export and an event export), plus a
 * self-referencing `reference` check and a second `unique` check, runs on generated inputs full of what the
 * pipeline reacts to: duplicates to match, repeated ids, removed test accounts, records that cannot be parsed or
 * kept, CSV quoting across lines. Each run is made with 1, 2 and 3 worker threads (3 is more than this machine's
 * cores) and compared whole.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../src/util/mulberry32.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin/clue.js");
const dir = mkdtempSync(join(tmpdir(), "clue-threads-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXTRA_VALIDATIONS = `rule: person_customer_is_known
entity: Person
field: customer_id
check: { reference: { entity: Person, field: id } }
severity: low
on_fail: { action: flag }
---
rule: person_email_unique
entity: Person
field: email
check: { unique: true }
severity: low
on_fail: { action: flag }
`;

const FIRST = [
  "Alice",
  "Zoë",
  "James",
  "Oliver",
  "Mia",
  "Wei",
  "Priya",
  "Liam",
  "Aroha",
  "Siobhan",
  "José",
  "Anna",
];
const LAST = [
  "Nguyen",
  "Martin",
  "Wilson",
  "Brown",
  "Smith",
  "O'Brien",
  "Chen",
  "Singh",
  "Ngata",
  "Walsh",
  "Lee",
];

interface Person {
  first: string;
  last: string;
  email: string | null;
  phone: string | null;
  dob: string | null;
  country: string;
}

/** Generated inputs: crm-contacts as JSON Lines (and as a JSON array), billing as CSV. */
function writeInputs(seed: number, crmCount: number, billingCount: number): void {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const people: Person[] = Array.from({ length: Math.ceil(crmCount * 0.7) }, () => {
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      first,
      last,
      email:
        rnd() < 0.9
          ? `${first}.${last}${int(1, 99)}@${pick(["gmail.com", "outlook.com", "bigpond.com"])}`
          : null,
      phone: rnd() < 0.85 ? `04${int(10, 99)} ${int(100, 999)} ${int(100, 999)}` : null,
      dob: rnd() < 0.95 ? `19${int(40, 99)}-0${int(1, 9)}-1${int(0, 9)}` : null,
      country: pick(["AU", "AU", "AU", "NZ", "au", "Australia", "GB"]),
    };
  });
  const updated = () => `2024-${String(int(1, 12)).padStart(2, "0")}-1${int(0, 9)}T0${int(0, 9)}:00:00Z`;
  const phoneAs = (phone: string | null) =>
    phone === null ? null : rnd() < 0.5 ? phone : `+61 ${phone.slice(1).replace(/ /g, "")}`;
  const crm: unknown[] = [];
  const lines: string[] = [];
  for (let k = 1; k <= crmCount; k++) {
    const p = people[k % 11 === 0 ? int(0, 20) : int(0, people.length - 1)] as Person;
    const id = rnd() < 0.03 ? `c_${int(1, k)}` : `c_${k}`; // a repeated id breaks person_id_unique
    const email =
      rnd() < 0.02
        ? `qa${k}@qa.harbourmutual.com.au` // a test account: removed by cleaning
        : p.email === null
          ? null
          : rnd() < 0.3
            ? ` ${p.email.toUpperCase()} `
            : p.email;
    const record = {
      id,
      first_name: rnd() < 0.1 ? p.first.toUpperCase() : p.first,
      last_name: rnd() < 0.05 ? `${p.last}x` : p.last,
      date_of_birth: rnd() < 0.02 ? "1900-01-01" : p.dob, // the CRM's placeholder: quarantined
      contact: { email, phone: phoneAs(p.phone) },
      address: { street: `${int(1, 99)} Example St`, country: p.country },
      billing_account: rnd() < 0.4 ? `B-${10000 + int(1, billingCount)}` : null,
      updated_at: updated(),
    };
    crm.push(record);
    const r = rnd();
    lines.push(
      r < 0.01
        ? "{not json"
        : r < 0.015
          ? "[1, 2]"
          : r < 0.02
            ? ""
            : `${JSON.stringify(record)}${r < 0.1 ? "\r" : ""}`,
    );
  }
  writeFileSync(join(dir, "crm.jsonl"), `\uFEFF${lines.join("\n")}\n`);
  // Bytes that are not UTF-8 in one line: that line, and only it, is a dead letter.
  writeFileSync(
    join(dir, "crm-bytes.jsonl"),
    Buffer.concat([
      Buffer.from(`${lines.slice(0, 500).join("\n")}\n{"id":"c_x","first_name":"`),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`"}\n${lines.slice(500).join("\n")}\n`),
    ]),
  );
  writeFileSync(join(dir, "crm.json"), `[\n${crm.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`);

  const header =
    "account_id,contact_first_name,contact_last_name,contact_email,contact_phone,date_of_birth,country,company_id,company_name,abn,company_domain,company_phone,employees,last_modified";
  const rows = [header];
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  for (let k = 1; k <= billingCount; k++) {
    const p = people[int(0, people.length - 1)] as Person;
    const company = pick([
      "Nguyen Plumbing Pty Ltd",
      "Smith, Jones & Co",
      'The "Best" Joinery',
      "Line\nBreak Holdings",
      "Wilson Bros",
    ]);
    const fields = [
      rnd() < 0.02 ? `B-${10000 + int(1, k)}` : `B-${10000 + k}`,
      p.first,
      p.last,
      p.email ?? "",
      p.phone === null ? "" : `+61${p.phone.slice(1).replace(/ /g, "")}`,
      p.dob ?? "",
      p.country,
      `ORG-${500 + int(1, 300)}`,
      company,
      rnd() < 0.8 ? `${int(10, 99)}${int(100000000, 999999999)}` : "12 345",
      pick(["nguyenplumbing.com.au", "https://www.wilson.com.au/", "", "UPPER.COM"]),
      `(02) 9${int(100, 999)} ${int(1000, 9999)}`,
      rnd() < 0.01 ? "12345678901234567890" : String(int(1, 900)), // too big to keep: rejected (Organization)
      updated(),
    ];
    const r = rnd();
    rows.push(
      r < 0.01
        ? `${fields.map(quote).join(",")},extra` // more fields than the header: a dead letter
        : r < 0.015
          ? `B-9${k},Ann"a,Smith` // a quote inside an unquoted field: a dead letter
          : r < 0.02
            ? ""
            : fields.map(quote).join(","),
    );
  }
  writeFileSync(join(dir, "billing.csv"), `${rows.join("\r\n")}\r\n`);
}

interface Result {
  status: number | null;
  out: string;
  letters: string;
  stderr: string;
}

function clue(project: string, args: string[], threads: number): Result {
  const out = join(dir, "out.jsonl");
  const letters = join(dir, "dead-letters.jsonl");
  rmSync(out, { force: true });
  rmSync(letters, { force: true });
  const result = spawnSync(
    process.execPath,
    [
      bin,
      "run",
      "--project",
      project,
      ...args,
      "--out",
      out,
      "--dead-letter",
      letters,
      "--threads",
      String(threads),
    ],
    { cwd: dir, encoding: "utf8", env: { ...process.env, CLUE_THREADS: "" }, maxBuffer: 1 << 28 },
  );
  return {
    status: result.status,
    out: existsSync(out) ? readFileSync(out, "utf8") : "",
    letters: existsSync(letters) ? readFileSync(letters, "utf8") : "",
    stderr: result.stderr,
  };
}

/** The run with 1, 2 and 3 threads: all three alike; the one-thread result, to check it is not trivial. */
function sameWithThreads(project: string, args: string[]): Result {
  const one = clue(project, args, 1);
  for (const threads of [2, 3]) {
    const many = clue(project, args, threads);
    expect(many.stderr, `stderr with ${threads} threads`).toBe(one.stderr);
    expect(many.status, `exit code with ${threads} threads`).toBe(one.status);
    expect(many.letters === one.letters, `dead letters with ${threads} threads`).toBe(true);
    expect(many.out === one.out, `output with ${threads} threads`).toBe(true);
  }
  return one;
}

const PERSON = [
  "--source",
  "crm-contacts",
  "--input",
  "crm.jsonl",
  "--source",
  "billing",
  "--entity",
  "Person",
  "--input",
  "billing.csv",
];

// Each case runs clue three times or more on a few thousand records; the machine may be busy.
describe("clue run --threads N", { timeout: 600_000 }, () => {
  const project = join(dir, "project");
  beforeAll(() => {
    cpSync(join(repo, "config"), join(project, "config"), { recursive: true });
    cpSync(join(repo, "env"), join(project, "env"), { recursive: true });
    writeFileSync(join(project, "config/validations/threads-test.yaml"), EXTRA_VALIDATIONS);
    writeInputs(20250101, 3000, 2000);
  });

  it.each(["mapped", "cleaned", "validated"])("writes the same %s rows and dead letters", (stage) => {
    const one = sameWithThreads(project, [...PERSON, "--stage", stage]);
    expect(one.status).toBe(0);
    expect(one.out.split("\n").length).toBeGreaterThan(4000);
    expect(one.letters).toMatch(/not valid JSON/);
    expect(one.letters).toMatch(/fields, the header has/);
    expect(one.letters).toMatch(/a quote inside an unquoted field/);
    if (stage !== "mapped") expect(one.stderr).toMatch(/removed by cleaning/);
    if (stage === "validated") {
      expect(one.out).toMatch(/"rule":"person_id_unique"/);
      expect(one.out).toMatch(/"rule":"person_email_unique"/);
      expect(one.out).toMatch(/"rule":"person_customer_is_known"/);
    }
  });

  it.each(["matches", "golden", "export:warehouse-contacts-v1", "events:person-changes"])(
    "writes the same %s rows after matching",
    (stage) => {
      const one = sameWithThreads(project, [...PERSON, "--stage", stage, "--correlation-id", "run-1"]);
      expect(one.stderr).toMatch(/pairs compared, [1-9]\d* merged/);
      expect(one.status).toBe(0);
      expect(one.out.split("\n").length).toBeGreaterThan(1000);
    },
  );

  it("writes the same golden records to stdout (a pipe) as one thread does", () => {
    const stdout = (threads: number) =>
      spawnSync(
        process.execPath,
        [bin, "run", "--project", project, ...PERSON, "--stage", "golden", "--threads", String(threads)],
        { cwd: dir, encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, CLUE_THREADS: "" } },
      );
    const one = stdout(1);
    const two = stdout(2);
    expect(one.status).toBe(0);
    expect(one.stdout.split("\n").length).toBeGreaterThan(1000);
    expect(two.stdout === one.stdout).toBe(true);
    expect(two.stderr).toBe(one.stderr);
  });

  it("writes the same Organization rows (a reference table, a number too big to keep)", () => {
    for (const stage of ["validated", "golden"]) {
      const one = sameWithThreads(project, [
        "--source",
        "billing",
        "--entity",
        "Organization",
        "--input",
        "billing.csv",
        "--stage",
        stage,
      ]);
      expect(one.stderr).toMatch(/rejected/);
      expect(one.letters).toMatch(/a number cannot hold/);
    }
  });

  it("reads a JSON array, bytes that are not UTF-8 and a gzip file as one thread does", () => {
    writeFileSync(join(dir, "crm.jsonl.gz"), gzipSync(readFileSync(join(dir, "crm.jsonl"))));
    for (const input of ["crm.json", "crm-bytes.jsonl", "crm.jsonl.gz"]) {
      const args = [
        "--source",
        "crm-contacts",
        "--input",
        input,
        ...(input.endsWith(".json") ? ["--input-format", "json"] : []),
      ];
      const one = sameWithThreads(project, [...args, "--stage", "golden"]);
      expect(one.status).toBe(0);
      if (input === "crm-bytes.jsonl") expect(one.letters).toMatch(/invalid UTF-8/);
    }
  });

  it("reads past a record too long to keep, as one thread does", () => {
    const lines = readFileSync(join(dir, "crm.jsonl"), "utf8").split("\n");
    const long = `{"id":"c_long","first_name":"${"x".repeat(16 * 1024 * 1024 + 10)}"}`;
    writeFileSync(
      join(dir, "crm-long.jsonl"),
      [...lines.slice(0, 1200), long, ...lines.slice(1200)].join("\n"),
    );
    const one = sameWithThreads(project, [
      "--source",
      "crm-contacts",
      "--input",
      "crm-long.jsonl",
      "--stage",
      "cleaned",
    ]);
    expect(one.letters).toMatch(/line is longer than/);
  });

  it("fails the same way on a file it cannot read, and on corrupt gzip", () => {
    const truncated = gzipSync(readFileSync(join(dir, "crm.jsonl")));
    writeFileSync(join(dir, "broken.jsonl.gz"), truncated.subarray(0, truncated.length >> 1));
    for (const input of ["missing.jsonl", "broken.jsonl.gz"]) {
      const one = sameWithThreads(project, [
        "--source",
        "crm-contacts",
        "--input",
        input,
        "--stage",
        "validated",
      ]);
      expect(one.status).toBe(1);
      expect(one.stderr).toMatch(/cannot read/);
    }
  });

  it("runs in worker threads when asked, and in one thread for a small input by default", () => {
    const debug = (args: string[]) =>
      spawnSync(
        process.execPath,
        [bin, "run", "--project", project, ...args, "--out", join(dir, "o.jsonl"), "--debug"],
        {
          cwd: dir,
          encoding: "utf8",
          env: { ...process.env, CLUE_THREADS: "" },
        },
      ).stderr;
    expect(debug([...PERSON, "--threads", "3"])).toMatch(/3 worker threads/);
    expect(debug([...PERSON, "--threads", "1"])).toMatch(/in one thread/);
    // About a megabyte of input: under the size at which the default starts workers.
    expect(debug(PERSON)).toMatch(/in one thread/);
  });

  // The accuracy fixtures: models with term frequencies, explicit blocking keys, records without an id.
  it.each([
    ["febrl", "febrl", "febrl1.csv"],
    ["febrl-model", "febrl", "febrl1.csv"],
    ["splink-model", "fake_1000", "splink_fake_1000.csv"],
    ["restaurant", "restaurants", "restaurant.csv"],
  ])("matches the accuracy fixture %s as one thread does", (fixture, source, data) => {
    const project = join(dir, fixture);
    cpSync(join(repo, "test/fixtures/accuracy", fixture), project, { recursive: true });
    const input = join(repo, "test/fixtures/data", data);
    if (fixture.endsWith("-model")) {
      // The model's m and u come from clue train.
      const trained = spawnSync(
        process.execPath,
        [bin, "train", "--project", project, "--source", source, "--input", input],
        { encoding: "utf8" },
      );
      expect(trained.status, trained.stderr).toBe(0);
    }
    for (const stage of ["matches", "golden"]) {
      const one = sameWithThreads(project, ["--source", source, "--input", input, "--stage", stage]);
      expect(one.status).toBe(0);
      expect(one.stderr).toMatch(/pairs compared, [1-9]\d* merged/);
    }
  });

  it("fails as one thread does when an error is met on a worker (a model without a prior)", () => {
    const one = sameWithThreads(join(repo, "test/fixtures/accuracy/febrl-model"), [
      "--source",
      "febrl",
      "--input",
      join(repo, "test/fixtures/data/febrl1.csv"),
      "--stage",
      "golden",
    ]);
    expect(one.status).toBe(1);
    expect(one.stderr).toMatch(/the dedup model has no prior/);
  });

  it("compares every pair, when a rule has no key, as one thread does", () => {
    const project = join(dir, "every-pair");
    cpSync(join(repo, "test/fixtures/accuracy/restaurant"), project, { recursive: true });
    writeFileSync(
      join(project, "config/dedup/restaurant.yaml"),
      `entity: Restaurant
rules:
  - name: similar_name
    when: jaro_winkler(name, other.name) >= 0.9
    confidence: 0.95
  - name: same_city_similar_name
    when: first_token(city) == first_token(other.city) and jaro_winkler(name, other.name) >= 0.8
    confidence: 0.9
auto_approve_threshold: 0.95
queue_threshold: 0.85
`,
    );
    const input = join(repo, "test/fixtures/data/restaurant.csv");
    for (const stage of ["matches", "golden"]) {
      const one = sameWithThreads(project, ["--source", "restaurants", "--input", input, "--stage", stage]);
      expect(one.status, one.stderr).toBe(0);
      // Every pair of the 864 records is compared.
      expect(one.stderr).toMatch(/372816 pairs compared/);
    }
  });

  it("gives the same clue test results, passing and failing, with --threads", () => {
    // One golden file made wrong, so that a failure and its differences are compared too.
    const golden = join(project, "config/samples/expected/crm-billing.golden.jsonl");
    const original = readFileSync(golden, "utf8");
    writeFileSync(golden, original.replace(/"Nguyen"/g, '"Ngyuen"'));
    try {
      const test = (threads: number) =>
        spawnSync(
          process.execPath,
          [bin, "test", "--project", project, "--format", "json", "--threads", String(threads)],
          {
            cwd: dir,
            encoding: "utf8",
          },
        );
      const one = test(1);
      const report = JSON.parse(one.stdout) as { tests: { status: string; details: string[] }[] };
      // The golden test made wrong fails (and so does the validations test: this project has more rules).
      const failed = report.tests.filter((t) => t.status === "failed");
      expect(failed.some((t) => t.details.join("\n").includes("Ngyuen"))).toBe(true);
      expect(report.tests.filter((t) => t.status === "passed").length).toBeGreaterThan(5);
      for (const threads of [2, 3]) {
        const many = test(threads);
        expect(many.stdout).toBe(one.stdout);
        expect(many.status).toBe(one.status);
      }
    } finally {
      writeFileSync(golden, original);
    }
  });

  it("refuses a --threads that is not a number of threads", () => {
    const result = spawnSync(
      process.execPath,
      [bin, "run", "--project", project, ...PERSON, "--threads", "0"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    expect(result.status).toBe(64);
    expect(result.stderr).toMatch(/--threads takes a whole number of threads from 1 to 64/);
  });
});
