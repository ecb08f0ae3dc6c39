import type { Severity } from "./diagnostic.js";

/**
 * Every diagnostic code clue reports, with its documentation: the one table that docs/diagnostics.md and the
 * SARIF rule list are generated from. Codes are stable: renaming one breaks users' suppressions.
 */
export interface CodeInfo {
  severity: Severity;
  title: string;
  /** A config snippet that triggers the finding. */
  example: string;
  /** How to fix it. */
  fix: string;
}

export const codes = {
  "file/unreadable": {
    severity: "error",
    title: "A config file could not be read",
    example: "config/mappings/crm.yaml without read permission",
    fix: "Check the file's permissions, or remove it from config/.",
  },
  "file/binary": {
    severity: "error",
    title: "A file under config/ or env/ is binary or not UTF-8",
    example: "config/entities/person.yaml saved as UTF-16, or an image renamed to .yaml",
    fix: "Save the file as UTF-8 text, or move it out of config/ and env/.",
  },
  "file/empty": {
    severity: "error",
    title: "A config file holds no document",
    example: "config/validations/todo.yaml with only comments",
    fix: "Add the resource, or delete the file.",
  },
  "file/too-large": {
    severity: "error",
    title: "A config file is larger than clue reads (5 MiB)",
    example: "a 50 MB data dump saved as config/mappings/dump.json",
    fix: "Config files are small; keep data under config/samples/ (JSON Lines or CSV) or outside config/.",
  },
  "yaml/syntax": {
    severity: "error",
    title: "The YAML (or JSON) does not parse",
    example: "fields:\n  email: [$.email\n",
    fix: "Fix the syntax at the position shown; the message says what the parser expected.",
  },
  "yaml/duplicate-key": {
    severity: "error",
    title: "A mapping has the same key twice",
    example: "fields:\n  email: $.email\n  email: $.mail\n",
    fix: "Keep one of the keys: YAML parsers disagree on which one wins.",
  },
  "yaml/alias-bomb": {
    severity: "error",
    title: "Aliases expand into too many nodes (a 'billion laughs' document)",
    example: "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b, *b]  # ... and so on",
    fix: "Write the values out, or use far fewer aliases (at most 1,000 aliases per document, adding at most 100,000 nodes when expanded).",
  },
  "yaml/forbidden-key": {
    severity: "error",
    title: "A key that could pollute object prototypes (__proto__, constructor, prototype)",
    example: "fields:\n  __proto__: { type: string }\n",
    fix: "Rename the key.",
  },
  "yaml/too-deep": {
    severity: "error",
    title: "Collections nest deeper than clue reads (64 levels)",
    example: "a: [[[[[[ ... ]]]]]]",
    fix: "Flatten the document: no config kind nests that deep.",
  },
  "yaml/warning": {
    severity: "warning",
    title: "The YAML parser warns about a construct",
    example: "key: !unknown-tag value",
    fix: "Remove custom tags (`!tag`) and the other constructs the parser warns about: clue config is plain YAML, and secrets are `{ from_env: NAME }` references.",
  },
  "config/unknown-kind": {
    severity: "error",
    title: "The document's kind is unknown or cannot be told",
    example: "config/misc/thing.yaml without a `kind:` field",
    fix: "Put the file in its kind's folder (config/mappings/, config/exports/, ...) or add `kind: mapping` etc.",
  },
  "config/not-a-mapping": {
    severity: "error",
    title: "A document is not a YAML mapping (an object)",
    example: "- entity: Person\n",
    fix: "Each document is one resource: a mapping of keys to values. Use `---` to put several in one file.",
  },
  "config/kind-folder-mismatch": {
    severity: "warning",
    title: "A document's `kind:` differs from its folder's kind",
    example: "config/mappings/person.yaml with `kind: entity`",
    fix: "Move the file to its kind's folder, or correct `kind:`.",
  },
  "schema/unknown-property": {
    severity: "error",
    title: "A property the kind does not have (often a typo)",
    example: "rule: email_regex\nentity: Person\nchek: { regex: '^.+@.+$' }\n",
    fix: "Correct the name (the hint suggests the closest one) or remove the property.",
  },
  "schema/required": {
    severity: "error",
    title: "A required property is missing",
    example: "entity: Person\nsource: crm-contacts\n# no fields:\n",
    fix: "Add the property named in the message.",
  },
  "schema/type": {
    severity: "error",
    title: "A value has the wrong type",
    example: "confidence: high   # expected a number\n",
    fix: "Write a value of the expected type.",
  },
  "schema/enum": {
    severity: "error",
    title: "A value is not one of the allowed values",
    example: "severity: severe\n",
    fix: "Use one of the values listed in the message.",
  },
  "schema/invalid": {
    severity: "error",
    title: "A value breaks a schema constraint (pattern, range, length, format, combination)",
    example: "confidence: 1.5   # at most 1\n",
    fix: "Change the value so it meets the constraint in the message; hover the key in an editor for its description.",
  },
  "names/duplicate": {
    severity: "error",
    title: "Two resources of one kind share a name",
    example: "two files under config/validations/ with `rule: email_regex`",
    fix: "Rename one: names identify resources on the target, so a duplicate would overwrite the other.",
  },
  "names/duplicate-step": {
    severity: "error",
    title: "Two steps or rules within one resource share a name",
    example: "steps:\n  - name: trim\n    ...\n  - name: trim\n",
    fix: "Give each step (or match rule) its own name; diffs and provenance refer to them by name.",
  },
  "ref/unknown-entity": {
    severity: "error",
    title: "A reference to an entity that no file under config/entities/ defines",
    example: "entity: Persn\n",
    fix: "Correct the name (the hint suggests the closest one) or add the entity.",
  },
  "ref/unknown-field": {
    severity: "error",
    title: "A reference to a field the entity does not have",
    example: "entity: Person\nfield: emial\n",
    fix: "Correct the field's name, or add the field to the entity.",
  },
  "ref/unknown-source": {
    severity: "error",
    title: "A reference to a source that no mapping reads",
    example: "order: [crm-contacts, biling]\n",
    fix: "Use the `source:` of one of the mappings.",
  },
  "ref/unknown-contract": {
    severity: "error",
    title: "An export names a contract that does not exist",
    example: "contract: contacts_v9\n",
    fix: "Correct the name, or add the contract under config/contracts/.",
  },
  "ref/unknown-export": {
    severity: "error",
    title: "A test's stage names an export that does not exist",
    example: "expect: { stage: 'export:warehouse-contacts-v9', ... }",
    fix: "Use the name of an export under config/exports/.",
  },
  "test/wrong-export-stage": {
    severity: "error",
    title: "A test's stage is the wrong kind for its export",
    example: "expect: { stage: 'export:person-changes' } where person-changes is an event-hub export",
    fix: "Use export:NAME for sql-table and file exports and events:NAME for event-hub, service-bus and power-automate exports.",
  },
  "ref/unknown-resource": {
    severity: "error",
    title: "An environment overrides a resource that does not exist",
    example: "overrides:\n  exports/warehouse-contacts-v9: { ... }\n",
    fix: "Use `kind/name` of an existing resource, with the REST kind (exports, mappings, ...).",
  },
  "ref/unknown-environment": {
    severity: "error",
    title: "`promote_from` names an environment that does not exist",
    example: "promote_from: tst\n",
    fix: "Use the name of a file under env/.",
  },
  "ref/missing-file": {
    severity: "error",
    title: "A file a test reads does not exist",
    example: "input: ../samples/missing.jsonl\n",
    fix: "Correct the path (it is relative to the test file), or add the file.",
  },
  "ref/outside-project": {
    severity: "error",
    title: "A test names a file outside the project",
    example: "input: ../../../etc/passwd\n",
    fix: "Keep inputs and golden files inside the project (config/samples/ is the usual place); paths are relative to the test file.",
  },
  "ref/missing-golden-file": {
    severity: "warning",
    title: "A test's golden file does not exist yet",
    example: "expect: { stage: golden, file: ../samples/expected/new.jsonl }",
    fix: "Run `clue test --update` to write it from the current output, and review it before committing.",
  },
  "mapping/required-field-unmapped": {
    severity: "warning",
    title: "A mapping leaves a required entity field unmapped",
    example: "entity Person has `id: { required: true }`; the mapping's fields have no `id`",
    fix: "Map the field, or make it optional in the entity.",
  },
  "validation/missing-field": {
    severity: "error",
    title: "A validation's check needs a `field:`",
    example: "rule: email_regex\nentity: Person\ncheck: { regex: '^.+@.+$' }\n",
    fix: "Add `field:` naming the field checked (only `expr` checks go without one).",
  },
  "validation/reference-table-missing": {
    severity: "error",
    title: "A `reference` check names a table missing from config/reference/",
    example: "check: { reference: { table: countries } }   # no config/reference/countries.csv",
    fix: "Add the table as config/reference/NAME.csv, or correct its name.",
  },
  "dedup/threshold-order": {
    severity: "error",
    title: "queue_threshold is above auto_approve_threshold",
    example: "auto_approve_threshold: 0.8\nqueue_threshold: 0.9\n",
    fix: "Make queue_threshold at most auto_approve_threshold.",
  },
  "dedup/unreachable-rule": {
    severity: "warning",
    title: "A match rule's confidence is below queue_threshold, so it can never match",
    example: "rules:\n  - { name: fuzzy, when: '...', confidence: 0.5 }\nqueue_threshold: 0.85\n",
    fix: "Raise the rule's confidence, lower queue_threshold, or remove the rule.",
  },
  "dedup/no-blocking-key": {
    severity: "warning",
    title: "A match rule has no blocking key, so it compares every pair of records",
    example: "rules:\n  - { name: fuzzy, when: 'jaro_winkler(name, other.name) > 0.9', confidence: 0.9 }\n",
    fix: "Add an equality conjunct such as `postcode == other.postcode and ...`, or `blocking:` keys for the rule set; all pairs grow with the square of the records.",
  },
  "dedup/quadratic-blocking": {
    severity: "warning",
    title: "Blocking as written compares every pair of records",
    example: "blocking: [\"'all'\"]   # a constant key; or comparisons: with neither blocking: nor rules:",
    fix: "Block on a field (`postcode`, `lower(surname)`). The lint sees only the file's structure: a key most records share (a country, a mostly-empty field) is as costly, and only `clue blocking` on sample data shows it.",
  },
  "dedup/source-priority-order": {
    severity: "error",
    title: "source_priority survivorship without an order of sources",
    example: "fields:\n  email: { strategy: source_priority }\n",
    fix: "Add `order: [source, ...]` to the field, or `source_order` to survivorship.",
  },
  "contract/missing-column": {
    severity: "error",
    title: "An export does not deliver a column of its contract",
    example: "contract columns: contact_id, email; export mapping: contact_id",
    fix: "Add the column to the export's mapping. Removing a column is a breaking change: make a new _v2 contract.",
  },
  "contract/primary-key-not-delivered": {
    severity: "error",
    title: "An export does not deliver its contract's primary key",
    example: "contract primary_key: contact_id; export mapping without contact_id",
    fix: "Map the primary key column in the export.",
  },
  "contract/primary-key-mismatch": {
    severity: "error",
    title: "A table export's primary_key differs from its contract's",
    example: "contract primary_key: contact_id; options.primary_key: [email]",
    fix: "Use the contract's primary key; changing it is a breaking change that needs a new _v2 contract.",
  },
  "contract/column-type-mismatch": {
    severity: "error",
    title: "An export delivers a contract column with a different type",
    example: "contract column updated_at: datetime; mapped from Person.updated_at of type string",
    fix: "Map a field of the contract's type. Retyping a column is a breaking change.",
  },
  "contract/delivery-type-mismatch": {
    severity: "warning",
    title: "A contract's delivery type differs from its export's type",
    example: "delivery: { type: sql-table }; the export is an event-hub",
    fix: "Bind the contract to an export of its delivery type, or correct delivery.type.",
  },
  "schedule/invalid-cron": {
    severity: "error",
    title: "A schedule is not a valid cron expression",
    example: "schedule: '60 * * * *'\n",
    fix: "Use 5 fields (minute hour day-of-month month day-of-week) or a macro such as @hourly.",
  },
  "regex/invalid": {
    severity: "error",
    title: "A regular expression does not compile",
    example: "check: { regex: '^[a-z' }\n",
    fix: "Fix the pattern: JavaScript syntax with the u (Unicode) flag; YAML needs `\\\\` for a backslash in double quotes.",
  },
  "regex/catastrophic": {
    severity: "error",
    title: "Retired: patterns now run on RE2, which cannot backtrack, so none is catastrophic",
    example: "# clue-disable-next-line regex/catastrophic   written for an earlier clue",
    fix: "Nothing reports it any more: remove suppressions that name it (`clue validate` lists them as suppress/unused).",
  },
  "regex/unsupported": {
    severity: "error",
    title: "A regular expression needs what RE2 lacks: a back-reference or a look-around",
    example: "check: { regex: '^(?=.*[0-9])[a-z0-9]{8,}$' }\n",
    fix: "Patterns run on RE2, in time linear in the value: rewrite without it (the hint shows how, often two regex_matches joined with `and` in an `expr` check).",
  },
  "var/undefined": {
    severity: "error",
    title: "`${var.NAME}` is not defined in an environment",
    example: "connection: ${var.warehouse_conection}   # env/test.yaml defines warehouse_connection",
    fix: "Define the variable under `variables:` in every environment file, or correct its name.",
  },
  "var/syntax": {
    severity: "error",
    title: "A `${...}` interpolation clue does not understand",
    example: "connection: ${warehouse_connection}\n",
    fix: "Write `${var.NAME}`; escape a literal `${` as `$${`.",
  },
  "expr/syntax": {
    severity: "error",
    title: "An expression does not parse",
    example: "when: email = other.email   # `=` is not a comparison",
    fix: "Fix the expression at the position shown; compare with `==`, combine with `and` / `or`.",
  },
  "expr/unknown-function": {
    severity: "error",
    title: "An expression calls a function the library does not have",
    example: "value: lowr(email)",
    fix: "Correct the name (the hint suggests the closest one); docs/functions.md lists the library.",
  },
  "expr/unknown-field": {
    severity: "error",
    title: "An expression reads a field the entity does not have",
    example: "when: emial is not null",
    fix: "Correct the field's name, or add the field to the entity.",
  },
  "expr/arguments": {
    severity: "error",
    title: "A function is called with the wrong number or names of arguments",
    example: 'value: to_e164(phone, country="AU")   # the parameter is default_country',
    fix: "Call it as its signature says (in the hint and in docs/functions.md).",
  },
  "expr/type": {
    severity: "error",
    title:
      "An expression mixes types: a wrong argument type, a condition that is not boolean, a value of the wrong type for its field",
    example: "when: lower(email)   # a string, not a condition",
    fix: "Convert or compare as the message says, e.g. `x is not null`, to_number(x), to_date(x).",
  },
  "expr/too-complex": {
    severity: "error",
    title: "An expression is longer than 4,096 characters or nests deeper than 64 levels",
    example: "value: lower(lower(lower(...)))",
    fix: "Split the work into several cleaning steps.",
  },
  "env/name-mismatch": {
    severity: "error",
    title: "An environment's name differs from its file's name",
    example: "env/test.yaml with `name: staging`",
    fix: "Rename the file or the environment: commands take `--env NAME` and read env/NAME.yaml.",
  },
  "env/invalid-timezone": {
    severity: "error",
    title: "A change window's time zone is not an IANA time zone",
    example: "timezone: Sydney\n",
    fix: "Use an IANA name such as Australia/Sydney or UTC.",
  },
  "env/empty-window": {
    severity: "error",
    title: "A change window opens and closes at the same time",
    example: "from: '09:00'\nto: '09:00'\n",
    fix: "Make `to` differ from `from`; a `to` before `from` is an overnight window (22:00–02:00) that closes the next morning.",
  },
  "env/promote-cycle": {
    severity: "error",
    title: "Environments promote from each other in a cycle",
    example: "env/test.yaml: promote_from: prod; env/prod.yaml: promote_from: test",
    fix: "Promotion flows one way: remove `promote_from` from the first environment of the chain.",
  },
  "env/no-local": {
    severity: "warning",
    title: "There is no env/local.yaml",
    example: "env/ with only test.yaml and prod.yaml",
    fix: "Add env/local.yaml with `target: { type: local }`, so every command works without a server.",
  },
  "env/target-renamed": {
    severity: "error",
    title:
      "`type: cluedin` with OAuth client credentials: the target that speaks clue's own contract is now `clue-server`",
    example: "target: { type: cluedin, url: ..., auth: { type: client_credentials, ... } }",
    fix: "Write `type: clue-server` to keep talking to `clue serve` or another server of clue's contract; `type: cluedin` is the CluedIn platform itself, signed in with `auth: { type: api_token, token: { from_env: NAME } }` or `{ type: password, ... }`.",
  },
  "security/literal-secret": {
    severity: "error",
    title: "A secret-looking key holds a literal value",
    example: "auth:\n  client_secret: s3cr3t-value\n",
    fix: "Use a reference: `{ from_env: NAME }` or `{ vault: 'path#key' }`, and rotate the leaked secret.",
  },
  "security/secret-pattern": {
    severity: "error",
    title:
      "A value is shaped like a credential (JWT, cloud key, token, password in a URL, high-entropy string)",
    example: "url: https://user:hunter2@example.com/hook\n",
    fix: "Move the value into a secret store and reference it with `{ from_env: NAME }`; rotate it.",
  },
  "suppress/unused": {
    severity: "warning",
    title: "A suppression (comment or ignore-file entry) matches no finding",
    example: "# clue-disable-next-line regex/catastrophic   above a line with no such finding",
    fix: "Remove the stale suppression.",
  },
  "suppress/invalid": {
    severity: "error",
    title: "A suppression is malformed: unknown code, no reason, or a bad ignore file",
    example: "findings:\n  - { code: regex/catastrophic, file: config/x.yaml }   # no reason\n",
    fix: "Name a real code and give a reason for every accepted finding.",
  },
  "file/not-regular": {
    severity: "error",
    title:
      "A path under config/ or env/ is not a regular file (a FIFO, device, socket or symbolic-link loop)",
    example: "config/x.yaml created with mkfifo, or a link to /dev/zero",
    fix: "Replace it with a regular file, or remove it from config/ and env/: clue never opens such paths.",
  },
  "file/outside-project": {
    severity: "error",
    title: "A symbolic link under config/ or env/ leads outside the project",
    example: "config/a.yaml -> /etc/passwd, or config/shared -> ../../other-repo/config",
    fix: "Copy the file into the project, or point the link at a file inside it: clue never reads through such links.",
  },
  "file/too-many-findings": {
    severity: "error",
    title: "A file has more findings than are shown (100 per file); this one counts the rest",
    example: "a generated file with 200,000 duplicate keys",
    fix: "Fix the findings shown and run clue validate again, or pass --max-findings-per-file 0 to see them all; a file this broken is often data saved under config/ by mistake.",
  },
  "yaml/alias-cycle": {
    severity: "error",
    title: "An alias refers to a collection that contains it, so the value would be infinite",
    example: "fields: &f\n  more: *f\n",
    fix: "Write the value out, or point the alias at an anchor outside the collection it is in.",
  },
  "cluedin/unsupported": {
    severity: "warning",
    title:
      "A setting or resource has no equivalent on the CluedIn platform and is not deployed there (an error when deploying the rest would change what it means)",
    example: "check: { unique: true }   # in a validation deployed to a type: cluedin environment",
    fix: "Accept that this part stays clue-side (lint, evaluation and tests still use it), or express it with what the platform has (see README, Deploying to CluedIn); suppress the finding with a reason in .clueignore.yaml once accepted.",
  },
  "cluedin/approximated": {
    severity: "warning",
    title: "A setting is deployed to CluedIn as the platform's nearest equivalent, which behaves differently",
    example: "value: trim(email)   # TrimEnds in Power Fx removes spaces only, not tabs",
    fix: "Check that the difference the message names does not matter for your data, or rewrite the setting with something that has an exact equivalent; suppress with a reason once accepted.",
  },
  "train/level-unobserved": {
    severity: "warning",
    title: "clue train could not estimate a level's m or u: no pair fell into it",
    example: "- name: exact\n  when: ssn == other.ssn   # no record has an ssn",
    fix: "Check the level's condition against the data; merge a level that is never reached into the next one, or raise training.max_pairs so more random pairs are drawn.",
  },
  "train/no-prior": {
    severity: "warning",
    title: "clue train has nothing to set the prior from",
    example: "comparisons: [...]   # and no rules:",
    fix: "Add a deterministic rule that only true matches pass (an exact email or id) so train can count them, or set `prior:` by hand.",
  },
  "train/no-pairs": {
    severity: "warning",
    title: "A training blocking pass found no pair, so it estimates nothing",
    example: "training: { blocking: [ssn == other.ssn] }",
    fix: "Block on a field the records share: an exact name, a date of birth, a postcode.",
  },
  "train/not-converged": {
    severity: "warning",
    title: "EM did not settle within training.max_iterations",
    example: "training: { max_iterations: 3 }",
    fix: "Raise training.max_iterations, or make the pass stricter so its pairs are mostly matches.",
  },
  "train/not-estimated": {
    severity: "warning",
    title: "Every training pass blocks on a field the comparison reads, so its m is never estimated",
    example: "training: { blocking: [surname == other.surname] }   # and a surname comparison",
    fix: "Add a training pass that blocks on other fields (as Splink trains: two or more passes on different fields).",
  },
} as const satisfies Record<string, CodeInfo>;

export type DiagnosticCode = keyof typeof codes;

/** Codes that `clue plan` (and apply, promote) reports, for what a deploy target cannot hold; validate never does. */
export function isPlanCode(code: string): boolean {
  return code.startsWith("cluedin/");
}

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.hasOwn(codes, code);
}
