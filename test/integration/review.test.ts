import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const goldenDir = fileURLToPath(new URL("../fixtures/review/", import.meta.url));

/** Commits with a fixed author, committer and date, so the same trees give the same commit ids on every run. */
const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_AUTHOR_DATE: "2026-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2026-01-01T00:00:00Z",
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
};
const git = (dir: string, ...args: string[]) =>
  execFileSync("git", args, { cwd: dir, env: gitEnv, encoding: "utf8", stdio: "pipe" });

/** A real repository in a temp folder holding the example project, with its first commit on main. */
function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), "clue-review-"));
  cpSync(join(repo, "config"), join(dir, "config"), { recursive: true });
  cpSync(join(repo, "env"), join(dir, "env"), { recursive: true });
  mkdirSync(join(dir, ".github"));
  writeFileSync(join(dir, ".github/CODEOWNERS"), "* @data-platform\n/config/dedup/ @data-stewards\n");
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "base");
  return dir;
}

function edit(dir: string, path: string, change: (text: string) => string): void {
  const file = join(dir, path);
  const before = readFileSync(file, "utf8");
  const after = change(before);
  expect(after, `${path} unchanged`).not.toBe(before);
  writeFileSync(file, after);
}

/** The four changes of the issue: a cleaning project edited, a validation added, an export column removed under an additive_only contract, the auto-approve threshold lowered. */
function releaseChanges(dir: string): void {
  edit(dir, "config/cleaning/normalize_contacts.yaml", (t) =>
    t.replace(
      "value: collapse_whitespace(trim(first_name))",
      "value: strip_accents(collapse_whitespace(trim(first_name)))",
    ),
  );
  writeFileSync(
    join(dir, "config/validations/customer_id_format.yaml"),
    'rule: person_customer_id_format\nentity: Person\nfield: customer_id\nowners: ["@billing-integrations"]\ncheck: { regex: "^B-[0-9]{5}$" }\nseverity: medium\n',
  );
  edit(dir, "config/exports/warehouse-contacts-v1.json", (t) =>
    t.replace(/\n\s*"customer_id": "Person.customer_id",/, ""),
  );
  edit(dir, "config/dedup/person.yaml", (t) =>
    t.replace("auto_approve_threshold: 0.97", "auto_approve_threshold: 0.94"),
  );
}

function clue(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [join(repo, "bin/clue.js"), ...args], {
    cwd: dir,
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Commit ids and config hashes follow the example project's contents, so any edit to it would churn the golden
 * files: they are compared as placeholders.
 */
function golden(name: string, text: string): void {
  const actual = text.replace(/\b[0-9a-f]{12}\b/g, "<hash>");
  const path = join(goldenDir, name);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("clue diff and clue release-notes on a real git repository", () => {
  const dir = repository();
  releaseChanges(dir);
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "release");

  it("names all four changes and fails on the removed column of the additive_only contract", () => {
    const result = clue(dir, "diff", "--base", "HEAD~1", "--head", "HEAD");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "error breaking/column-removed exports/warehouse-contacts-v1: Export warehouse-contacts-v1 no longer delivers column customer_id (contract contacts_v1 is additive_only)",
    );
    expect(result.stdout).toContain("warning breaking/threshold-lowered dedup-rules/Person");
    expect(result.stdout).toContain("info change/validation-added validations/person_customer_id_format");
    expect(result.stdout).toContain(
      "~ steps[collapse_first_name].value: {+strip_accents(+}collapse_whitespace(trim(first_name)){+)+}",
    );
    golden("diff.txt", result.stdout);
    const markdown = clue(dir, "diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown");
    expect(markdown.status).toBe(1);
    golden("diff.md", markdown.stdout);
  });

  it("writes release notes with the risk, rollback and owners, the same text every time", () => {
    const first = clue(dir, "release-notes", "--base", "HEAD~1", "--head", "HEAD");
    expect(first.status, first.stderr).toBe(0);
    for (const expected of [
      "### Breaking changes",
      "`breaking/column-removed` on `exports/warehouse-contacts-v1`",
      "auto_approve_threshold of Person is lowered from 0.97 to 0.94",
      "Changed `cleaning-projects/normalize_contacts`: steps[collapse_first_name]",
      "Added `validations/person_customer_id_format`",
      "## Rollback",
      "tools/apply.sh env/test",
      "clue promote --from test --to prod",
      "@data-stewards",
      "@billing-integrations",
    ])
      expect(first.stdout).toContain(expected);
    expect(clue(dir, "release-notes", "--base", "HEAD~1", "--head", "HEAD").stdout).toBe(first.stdout);
    golden("release-notes.md", first.stdout);
    const json = JSON.parse(
      clue(dir, "release-notes", "--base", "HEAD~1", "--head", "HEAD", "--format", "json").stdout,
    ) as {
      format_version: number;
      owners: string[];
    };
    expect(json.format_version).toBe(1);
    expect(json.owners).toContain("@data-stewards");
  });

  it("accepts a breaking change named in the ignore file, with its reason", () => {
    const other = repository();
    releaseChanges(other);
    writeFileSync(
      join(other, ".clueignore.yaml"),
      "breaking_changes:\n  - resource: exports/warehouse-contacts-v1\n    change: breaking/column-removed\n    reason: customer_id moved to the billing export; consumers signed off in DATA-88\n",
    );
    const result = clue(other, "diff", "--base", "main");
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain(
      "(accepted: customer_id moved to the billing export; consumers signed off in DATA-88)",
    );
  });

  it("compares with the working tree without touching it, the index or HEAD", () => {
    const other = repository();
    edit(other, "config/dedup/person.yaml", (t) =>
      t.replace("queue_threshold: 0.85", "queue_threshold: 0.8"),
    );
    const status = git(other, "status", "--porcelain");
    const head = git(other, "rev-parse", "HEAD");
    const result = clue(other, "diff", "--base", "main");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("queue_threshold of Person is lowered from 0.85 to 0.8");
    expect(git(other, "status", "--porcelain")).toBe(status);
    expect(git(other, "rev-parse", "HEAD")).toBe(head);
    expect(readFileSync(join(other, "config/dedup/person.yaml"), "utf8")).toContain("queue_threshold: 0.8");
  });

  it("lets a breaking change ship as a new _v2 export and contract, and warns about new PII, removed validations and worse pass rates", () => {
    const other = repository();
    const v1 = JSON.parse(readFileSync(join(other, "config/exports/warehouse-contacts-v1.json"), "utf8")) as {
      name: string;
      contract: string;
      mapping: Record<string, string>;
      options: { table: string };
    };
    delete v1.mapping.customer_id;
    v1.mapping.phone = "Person.phone";
    writeFileSync(
      join(other, "config/exports/warehouse-contacts-v2.json"),
      JSON.stringify(
        {
          ...v1,
          name: "warehouse-contacts-v2",
          contract: "contacts_v2",
          options: { ...v1.options, table: "contacts_v2" },
        },
        null,
        2,
      ),
    );
    const contract = readFileSync(join(other, "config/contracts/contacts_v1.yaml"), "utf8")
      .replace("name: contacts_v1", "name: contacts_v2")
      .replace(/\n\s+customer_id: .*/, "\n  phone: { type: string }");
    writeFileSync(join(other, "config/contracts/contacts_v2.yaml"), contract);
    rmSync(join(other, "config/validations/email_regex.yaml"));
    edit(other, "config/validations/person.yaml", (t) =>
      t.replace("check: { enum: [AU, NZ, GB, IE, US, CA, SG] }", "check: { enum: [AU] }"),
    );
    const result = clue(other, "diff", "--base", "main");
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).not.toContain("error breaking/");
    expect(result.stdout).toContain("info change/export-added exports/warehouse-contacts-v2");
    expect(result.stdout).toContain(
      "warning breaking/new-pii-column exports/warehouse-contacts-v2: Export warehouse-contacts-v2 now publishes personal data in phone",
    );
    expect(result.stdout).toContain("warning breaking/validation-removed validations/email_regex");
    expect(result.stdout).toMatch(
      /warning breaking\/dq-worse validations\/person_country_supported: Pass rate of Person\.person_country_supported on the samples drops from \d+\.\d% to \d+\.\d%/,
    );
  });

  it("fails on a changed event shape even without a contract, the same from a subfolder of the project", () => {
    const other = repository();
    edit(other, "config/exports/person-changes.yaml", (t) => t.replace("  email: Person.email\n", ""));
    edit(other, "config/exports/person-changes.yaml", (t) => t.replace("  phone: redact\n", ""));
    const result = clue(other, "diff", "--base", "main");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      "error breaking/event-shape-changed exports/person-changes: Export person-changes no longer delivers attribute email",
    );
    expect(result.stdout).toContain(
      "Export person-changes no longer masks phone: consumers get the raw value instead of null.",
    );
    const inside = spawnSync(process.execPath, [join(repo, "bin/clue.js"), "diff", "--base", "main"], {
      cwd: join(other, "config"),
      encoding: "utf8",
    });
    // From a subfolder, clue finds the project's root as git finds a repository's: the same diff.
    expect(inside.status).toBe(1);
    expect(inside.stdout).toBe(result.stdout);
  });

  it("lists the sample pairs whose match changed, each with its waterfall", () => {
    const work = repository();
    edit(work, "config/dedup/organization.yaml", (t) =>
      t.replace("auto_approve_threshold: 0.97", "auto_approve_threshold: 0.9999"),
    );
    git(work, "commit", "-qam", "stricter organization merges");
    const result = clue(work, "diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json");
    const report = JSON.parse(result.stdout) as {
      matches: {
        pair: string;
        status: string;
        before?: { decision: string; score: number };
        after?: { decision: string; score: number };
        explain?: { prior: number; comparisons: { comparison: string; level: string; weight: number }[] };
      }[];
    };
    // Every merge of the model below 0.9999 is now queued; the pair and its score stay.
    expect(report.matches.length).toBeGreaterThan(0);
    for (const m of report.matches) {
      expect(m.status).toBe("changed");
      expect(m.before?.decision).toBe("merge");
      expect(m.after?.decision).toBe("queue");
      expect(m.after?.score).toBe(m.before?.score);
      // The weights did not change, so there is one waterfall.
      expect(m).not.toHaveProperty("explainBefore");
      expect(m.after?.score).toBeLessThan(0.9999);
      expect(m.explain?.comparisons.map((c) => c.comparison)).toEqual(["name", "domain", "phone", "country"]);
      // The waterfall's weights are rounded to 4 places: they add up to the score's weight to within that.
      const weight =
        (m.explain?.prior ?? 0) + (m.explain?.comparisons ?? []).reduce((s, c) => s + c.weight, 0);
      const score = m.after?.score ?? 0;
      expect(Math.abs(weight - Math.log2(score / (1 - score)))).toBeLessThan(0.001);
    }
    const human = clue(work, "diff", "--base", "HEAD~1", "--head", "HEAD");
    expect(human.stdout).toContain("Matches on the samples (pairs found, lost or decided otherwise):");
    expect(human.stdout).toMatch(
      /~ billing:\S+ ~ billing:\S+: merge at 0\.\d{4}( \([\w, ]+\))? → queue at 0\.\d{4}( \([\w, ]+\))?\n\s+why: prior −\d+\.\d\d, name=\w+ [+−]\d+\.\d\d, domain=/,
    );
    rmSync(work, { recursive: true, force: true });
  });

  it("says clearly when a revision does not exist", () => {
    const result = clue(dir, "diff", "--base", "no-such-branch");
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no git revision "no-such-branch"');
  });
});
