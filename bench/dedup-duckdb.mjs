// The rules of bench/dedup.mjs's config/dedup/person.yaml written by hand in DuckDB SQL, run on one thread:
// `node bench/dedup-duckdb.mjs INPUT.jsonl GOLDEN.jsonl`. bench/dedup.mjs runs it as a child process next to
// `clue run --stage golden` on the same file, times both the same way, and checks that the golden records agree.
//
// What a person fluent in SQL would write for these rules and this data:
// - keys: lower(email); the phone in E.164 (the data's phones are Australian, written "0412 345 678",
//   "+61 412 345 678", "(02) 9123 4567" and so on: digits kept, a leading 0 or +61 replaced by +61, and valid when
//   the national number falls in a range of the +61 plans — the ranges read from libphonenumber-js's max metadata,
//   the set clue uses); soundex of each name (American Soundex, as a macro); the name as "first last";
// - candidate pairs: the union of the four rules' equi-joins (each pair once), as clue's blocking compares them;
// - score: the highest confidence among the rules that hold (Jaro-Winkler is DuckDB's jaro_winkler_similarity);
// - clusters: only exact_email (0.98) reaches auto_approve_threshold 0.97, so the merged pairs are exactly the pairs
//   of records sharing lower(email), and their connected components are the groups by lower(email);
// - survivorship as the rule set says (most_recent by default, most_frequent email, most_complete names and
//   customer_id), ties to the earlier record; entityId the sha256 of the sorted member keys, as clue makes it.
// It prints its counts (pairs compared, merged, queued, golden records) to stderr as clue does, and how long writing
// the golden records took (DuckDB's JSON writer spends most of the run on the nested records).
import { createRequire } from "node:module";
import { DuckDBInstance } from "@duckdb/node-api";

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error("usage: node bench/dedup-duckdb.mjs INPUT.jsonl GOLDEN.jsonl");
const quote = (text) => `'${text.replaceAll("'", "''")}'`;

// The +61 ranges: a national number is valid when it fits some country of the calling code (AU, CC, CX): the
// country's national pattern and one of its number types (pattern and lengths).
const metadata = createRequire(import.meta.url)("libphonenumber-js/metadata.max.json");
const plans = metadata.country_calling_codes["61"].map((country) => {
  const [, , national, , , , , , , , , types] = metadata.countries[country];
  const typed = types
    .filter((t) => Array.isArray(t) && t[0])
    .map(([pattern, lengths]) => {
      const length = lengths ? ` AND length(nsn) IN (${lengths.join(", ")})` : "";
      return `(regexp_full_match(nsn, ${quote(pattern)})${length})`;
    });
  return `(regexp_full_match(nsn, ${quote(national)}) AND (${typed.join(" OR ")}))`;
});
const validAustralian = plans.join(" OR ");

// Soundex: letters A-Z of the upper-cased, accent-stripped text; the first letter, then the codes of the rest with
// H and W dropped (they do not separate equal codes), runs of one code collapsed (vowels and Y, code 0, separate
// them), the first letter's own code dropped, zeros dropped, three digits padded with 0.
const collapse = (s) =>
  [0, 1, 2, 3, 4, 5, 6].reduce((e, d) => `regexp_replace(${e}, '${d}+', '${d}', 'g')`, s);
const SQL = `
SET threads = 1;
CREATE MACRO soundex_digits(l) AS translate(l, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '01230129022455012623019202');
CREATE MACRO soundex_of(l) AS CASE WHEN l = '' THEN NULL ELSE
  l[1] || rpad(left(replace(substr(${collapse(
    "(CASE WHEN l[1] IN ('H', 'W') THEN '0' ELSE soundex_digits(l[1]) END || replace(soundex_digits(l[2:]), '9', ''))",
  )}, 2), '0', ''), 3), 3, '0') END;
CREATE MACRO letters_of(t) AS regexp_replace(upper(strip_accents(t)), '[^A-Z]', '', 'g');

CREATE TABLE people AS
  SELECT row_number() OVER () - 1 AS k, *
  FROM read_json(${quote(input)}, format = 'newline_delimited', columns = {
    id: 'VARCHAR', first_name: 'VARCHAR', last_name: 'VARCHAR', email: 'VARCHAR', phone: 'VARCHAR',
    date_of_birth: 'VARCHAR', country: 'VARCHAR', customer_id: 'VARCHAR', updated_at: 'VARCHAR'});

-- The costly keys are worked out once per distinct value (a few thousand names; each phone as written), then joined.
CREATE TABLE name_codes AS
  SELECT name, soundex_of(letters_of(name)) AS code
  FROM (SELECT first_name AS name FROM people UNION SELECT last_name FROM people) WHERE name IS NOT NULL;

CREATE TABLE phone_keys AS
  WITH digits AS (SELECT phone, regexp_replace(phone, '[^0-9+]', '', 'g') AS d FROM (SELECT DISTINCT phone FROM people)),
  national AS (
    SELECT phone, CASE WHEN d[1] = '0' THEN d[2:] WHEN starts_with(d, '+61') THEN d[4:] END AS nsn FROM digits)
  SELECT phone, CASE WHEN ${validAustralian} THEN '+61' || nsn END AS phone_key FROM national;

CREATE TABLE keyed AS
  SELECT p.k, lower(p.email) AS email_key, ph.phone_key, p.date_of_birth AS dob, l.code AS sx_last,
    f.code AS sx_first, concat(p.first_name, ' ', p.last_name) AS full_name
  FROM people p
  LEFT JOIN phone_keys ph ON ph.phone = p.phone
  LEFT JOIN name_codes f ON f.name = p.first_name
  LEFT JOIN name_codes l ON l.name = p.last_name;

CREATE TABLE candidates AS
  SELECT a.k AS i, b.k AS j FROM keyed a JOIN keyed b ON a.email_key = b.email_key AND a.k < b.k
  UNION SELECT a.k, b.k FROM keyed a JOIN keyed b ON a.phone_key = b.phone_key AND a.k < b.k
  UNION SELECT a.k, b.k FROM keyed a JOIN keyed b ON a.dob = b.dob AND a.sx_last = b.sx_last AND a.k < b.k
  UNION SELECT a.k, b.k FROM keyed a JOIN keyed b ON a.dob = b.dob AND a.sx_first = b.sx_first AND a.k < b.k;

CREATE TABLE scored AS
  SELECT c.i, c.j, greatest(
    CASE WHEN a.email_key = b.email_key THEN 0.98 ELSE 0 END,
    CASE WHEN a.phone_key = b.phone_key THEN 0.95 ELSE 0 END,
    CASE WHEN a.dob = b.dob AND (a.sx_last = b.sx_last OR a.sx_first = b.sx_first)
      AND jaro_winkler_similarity(a.full_name, b.full_name) >= 0.92 THEN 0.9 ELSE 0 END) AS score
  FROM candidates c JOIN keyed a ON a.k = c.i JOIN keyed b ON b.k = c.j;

CREATE TABLE members AS
  WITH rooted AS (
    SELECT p.*, CASE WHEN kd.email_key IS NULL THEN p.k ELSE min(p.k) OVER (PARTITION BY kd.email_key) END AS root
    FROM people p JOIN keyed kd USING (k))
  SELECT *,
    (id IS NOT NULL)::INT + (email IS NOT NULL)::INT + (phone IS NOT NULL)::INT + (first_name IS NOT NULL)::INT
      + (last_name IS NOT NULL)::INT + (date_of_birth IS NOT NULL)::INT + (country IS NOT NULL)::INT
      + (customer_id IS NOT NULL)::INT + (updated_at IS NOT NULL)::INT AS completeness,
    count(*) OVER (PARTITION BY root, email) AS email_count
  FROM rooted;
`;

/** The entity's fields in order, each with the order its survivorship strategy puts a cluster's members in. */
const recent = "updated_at DESC NULLS LAST, k";
const FIELDS = [
  ["id", recent],
  ["email", `email_count DESC, ${recent}`],
  ["phone", recent],
  ["first_name", "completeness DESC, k"],
  ["last_name", "completeness DESC, k"],
  ["date_of_birth", recent],
  ["country", recent],
  ["customer_id", "completeness DESC, k"],
  ["updated_at", recent],
];

// One attribute: the surviving value among the members that have one, with the record it comes from.
const attribute = (field, order) => `CASE WHEN count(${field}) > 0 THEN {
    value: first(${field} ORDER BY ${order}) FILTER (WHERE ${field} IS NOT NULL), provenance: 'crm-contacts',
    record: first(id ORDER BY ${order}) FILTER (WHERE ${field} IS NOT NULL),
    confidence: CASE WHEN count(*) = 1 THEN 1 ELSE 0.98 END} END AS ${field}`;
/** A cluster of one: every value it has, from its one record. */
const single = (field) => `CASE WHEN ${field} IS NOT NULL THEN {
    value: ${field}, provenance: 'crm-contacts', record: id, confidence: 1} END`;
const GOLDEN = `COPY (
  WITH sized AS (SELECT *, count(*) OVER (PARTITION BY root) AS size FROM members)
  SELECT root, 'Person' AS entityType,
    'cluedin:entity:' || sha256('Person' || chr(0) || 'crm-contacts:' || id)[1:32] AS entityId,
    [{source: 'crm-contacts', id: id}] AS members,
    {${FIELDS.map(([field]) => `${field}: ${single(field)}`).join(",\n    ")}} AS attributes
  FROM sized WHERE size = 1
  UNION ALL
  SELECT root, 'Person' AS entityType,
    'cluedin:entity:' || sha256('Person' || chr(0) || array_to_string(list_sort(list('crm-contacts:' || id)), chr(0)))[1:32]
      AS entityId,
    list({source: 'crm-contacts', id: id} ORDER BY k) AS members,
    {${FIELDS.map(([field, order]) => `${field}: ${attribute(field, order).replace(/ AS \w+$/, "")}`).join(",\n    ")}} AS attributes
  FROM sized WHERE size > 1 GROUP BY root
  ORDER BY root
) TO ${quote(output)} (FORMAT json)`;

const db = await DuckDBInstance.create(":memory:");
const connection = await db.connect();
// BENCH_STEPS=1 prints how long each statement takes.
for (const statement of SQL.split(/;\s*\n/).filter((s) => s.trim() !== "")) {
  const start = performance.now();
  await connection.run(statement);
  if (process.env.BENCH_STEPS)
    process.stderr.write(
      `${((performance.now() - start) / 1000).toFixed(2)} s  ${statement.trim().split("\n")[0]}\n`,
    );
}
const counts = (
  await connection.runAndReadAll(`SELECT
    (SELECT count(*) FROM people) AS records, (SELECT count(*) FROM scored) AS compared,
    (SELECT count(*) FROM scored WHERE score >= 0.97) AS merged,
    (SELECT count(*) FROM scored WHERE score >= 0.85 AND score < 0.97) AS queued,
    (SELECT count(DISTINCT root) FROM members) AS golden`)
).getRowObjects()[0];
const written = performance.now();
await connection.run(GOLDEN);
const writeSeconds = (performance.now() - written) / 1000;
if (process.env.BENCH_STEPS) process.stderr.write(`${writeSeconds.toFixed(2)} s  COPY golden records\n`);
process.stderr.write(
  `matches: ${counts.records} records, ${counts.compared} pairs compared, ${counts.merged} merged, ` +
    `${counts.queued} queued for review.\ngolden: ${counts.golden} golden records from ${counts.records} records ` +
    `(written in ${writeSeconds.toFixed(2)} s).\n`,
);
