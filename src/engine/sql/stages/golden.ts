/**
 * Golden records in SQL (src/golden/golden.ts, survivorship.ts): one per cluster, each attribute picked among the
 * members that have a value by its strategy, ties going to source priority, then to the earlier record:
 * most_recent (newest recency value, nulls last), source_priority, most_complete (most non-null fields),
 * most_frequent (the value most members hold, then the newest), longest (most UTF-16 code units, as JavaScript
 * counts). The entityId hashes the sorted member keys. Texts are ordered as JavaScript orders them (UTF-16 code
 * units): where a cluster holds a character beyond U+FFFF, by the helper's sort key.
 */
import type { Resource } from "../../../config/project.js";
import type { Strategy } from "../../../golden/survivorship.js";
import type { PlanBuilder } from "../builder.js";
import { SqlUnsupported } from "../expr.js";
import { jsonOf, textOf } from "../semantics.js";
import type { Column } from "./mapping.js";
import type { MatchRecords } from "./records.js";

/** Helper UDF: a text whose byte order is JavaScript's order of the given text (its UTF-16 code units in hex). */
export const UTF16_KEY = "clue__utf16_key";

export interface Golden {
  /**
   * `golden_values`: _cluster, _entity_id, _members (JSON), _confidence, and per field its value and __provenance; a
   * record of its own has one _provenance for all its fields instead (a field has a provenance when it has a value).
   */
  values: string;
  /** `golden`: _cluster and json, the golden record as the golden stage writes it. */
  json: string;
  columns: Column[];
  /** `golden_values` is stored in _cluster order, and `golden` reads it row by row (Dialect.keepsTableOrder). */
  presorted: boolean;
}

export function goldenRecords(
  b: PlanBuilder,
  dedup: Resource<"dedup">,
  entity: string,
  records: MatchRecords,
): Golden {
  const { d } = b;
  const survivorship = dedup.spec.survivorship;
  const columns = records.columns;
  const recencyField = survivorship?.recency_field ?? "updated_at";
  const recency = columns.find((c) => c.name === recencyField);
  const defaultStrategy: Strategy = survivorship?.default ?? "most_recent";
  const sourceOrder = survivorship?.source_order ?? [];
  b.cx.udfs.helper(UTF16_KEY, ["text"], "text");

  const key = d.concat(["r._source", "':'", "r._id"]);
  const completeness =
    columns.length === 0
      ? "0"
      : columns.map((c) => `CASE WHEN r.${d.ident(c.name)} IS NULL THEN 0 ELSE 1 END`).join(" + ");
  const recencyValue = recency === undefined ? undefined : `r.${d.ident(recency.name)}`;
  // Each record's JSON as a member and as an attribute's provenance, written once (attributes share them).
  const source = d.jsonQuote("r._source");
  const id = d.jsonQuote("r._id");
  b.table(
    "members",
    `SELECT r.*, c._cluster, c._confidence, c._size, ${key} AS _key,\n` +
      `  ${d.build([`'{"source":'`, source, `',"id":'`, id, "'}'"])} AS _member,\n` +
      `  ${d.build([`'"provenance":'`, source, `',"record":'`, id])} AS _provenance\n` +
      `FROM records r JOIN clusters c ON c._rid = r._rid`,
    "each record with its cluster, and its JSON as a member and as an attribute's provenance",
  );
  b.table(
    "shared",
    `SELECT *, ${completeness} AS _completeness,\n` +
      `  CASE WHEN bool_or(${d.hasAstral("_key")}) OVER (PARTITION BY _cluster) THEN ${UTF16_KEY}(_key) END AS _key16` +
      (recency?.type === "text"
        ? `,\n  CASE WHEN bool_or(${d.hasAstral(recencyValue as string)}) OVER (PARTITION BY _cluster) THEN ${UTF16_KEY}(${recencyValue as string}) END AS _recency16`
        : "") +
      `\nFROM members r WHERE _size > 1`,
    "the records of clusters of two or more: how many fields each fills, and (where a cluster needs them) JavaScript's sort keys",
  );
  // Each field's survivor in one pass over a cluster's records: the record with the greatest key, the key being
  // the strategy's order (survivorship.ts) with every part turned so that greater is preferred, then source
  // priority, then the earlier record.
  const rankOf = (order: readonly string[]) =>
    order.length === 0
      ? "0"
      : `CASE _source ${order.map((s, i) => `WHEN ${d.string(s)} THEN ${i}`).join(" ")} ELSE ${order.length} END`;
  // compareValues (survivorship.ts): newest first, nulls last; texts by JavaScript's order.
  const recent = recency === undefined ? undefined : d.ident(recency.name);
  const newest =
    recent === undefined
      ? []
      : [`${recent} IS NOT NULL`, ...(recency?.type === "text" ? ["_recency16"] : []), recent];
  /** For most_frequent fields: how many members of the cluster hold each member's value. */
  const frequent: string[] = [];
  const survivors = columns.map((c) => {
    const rule = survivorship?.fields?.[c.name];
    const strategy: Strategy = rule?.strategy ?? defaultStrategy;
    const v = d.ident(c.name);
    const preferred: string[] = (() => {
      switch (strategy) {
        case "most_recent":
          return newest;
        case "source_priority":
          return [];
        case "most_complete":
          return ["_completeness"];
        case "most_frequent":
          frequent.push(`count(*) OVER (PARTITION BY _cluster, ${v}) AS ${d.ident(`${c.name}__count`)}`);
          return [d.ident(`${c.name}__count`), ...newest];
        case "longest":
          return [d.utf16Length(textOf(d, { sql: v, type: c.type }))];
        default:
          throw new SqlUnsupported(`dedup ${dedup.name}: unknown survivorship strategy ${String(strategy)}`);
      }
    })();
    const key = d.structOf(
      [...preferred, `-(${rankOf(rule?.order ?? sourceOrder)})`, "-_rid"].map((k, i) => [`k${i}`, k]),
    );
    const chosen = d.structOf([
      ["v", v],
      ["p", "_provenance"],
    ]);
    return `${d.argMax(chosen, key, `${v} IS NOT NULL`)} AS ${d.ident(`${c.name}__survivor`)}`;
  });
  const from = frequent.length === 0 ? "shared" : `(SELECT *, ${frequent.join(", ")} FROM shared)`;
  const sortedKeys = d.stringAgg("_key", "\u0000", "_key16, _key");
  const entityId = (keys: string) =>
    d.concat([
      d.string("cluedin:entity:"),
      `left(${d.sha256(d.concat([d.string(`${entity}\u0000`), keys]))}, 32)`,
    ]);
  // The members and the sorted keys of each cluster in an aggregate of their own: ordered aggregates keep their
  // inputs until the group ends, so they get only the two texts, not every field of the records.
  b.table(
    "cluster_lists",
    `SELECT _cluster, ${entityId(sortedKeys)} AS _entity_id,\n` +
      `  ${d.build(["'['", d.stringAgg("_member", ",", "_rid"), "']'"])} AS _members\n` +
      `FROM shared GROUP BY _cluster`,
    "each cluster's members as JSON, and its entityId from the sorted member keys",
  );
  // Where a table keeps its order, the golden records are sorted here, before they are JSON texts, and the output
  // reads them in order; sorted in a step of its own, the aggregates above spill as they would without it.
  const survivorsTable = d.keepsTableOrder ? "golden_unsorted" : "golden_values";
  b.table(
    survivorsTable,
    `SELECT _cluster, _confidence, ${entityId("_key")} AS _entity_id, ${d.build(["'['", "_member", "']'"])} AS _members, _provenance,\n  ` +
      columns
        .map((c) => `${d.ident(c.name)}, ${d.nullOf("text")} AS ${d.ident(`${c.name}__provenance`)}`)
        .join(",\n  ") +
      `\nFROM members WHERE _size = 1\nUNION ALL\n` +
      `SELECT _cluster, _confidence, _entity_id, _members, ${d.nullOf("text")},\n  ` +
      columns
        .map((c) => {
          const survivor = d.ident(`${c.name}__survivor`);
          return `${d.field(survivor, "v")}, ${d.field(survivor, "p")}`;
        })
        .join(",\n  ") +
      `\nFROM (SELECT _cluster, min(_confidence) AS _confidence,\n  ${survivors.join(",\n  ")}\n` +
      `  FROM ${from} GROUP BY _cluster) JOIN cluster_lists USING (_cluster)`,
    "one golden record per cluster (a record of its own is its golden record): each field's surviving value and where it came from",
  );
  if (d.keepsTableOrder)
    b.table(
      "golden_values",
      `SELECT * FROM golden_unsorted\nORDER BY _cluster`,
      "the golden records in output order",
      {
        ordered: true,
      },
    );
  const attributes = columns.map(
    (c) =>
      `CASE WHEN ${d.ident(c.name)} IS NOT NULL THEN ${d.build([
        d.string(`${JSON.stringify(c.name)}:{"value":`),
        jsonOf(d, { sql: d.ident(c.name), type: c.type }),
        "','",
        `coalesce(${d.ident(`${c.name}__provenance`)}, _provenance)`,
        `',"confidence":'`,
        "_confidence_text",
        "'}'",
      ])} END`,
  );
  b.view(
    "golden",
    `SELECT _cluster, ${d.build([
      d.string(`{"entityType":${JSON.stringify(entity)},"entityId":`),
      d.jsonQuote("_entity_id"),
      `',"members":'`,
      "_members",
      `',"attributes":{'`,
      attributes.length === 0 ? "''" : d.concatSkippingNulls(",", attributes),
      "'}}'",
    ])} AS json\nFROM (SELECT *, ${d.jsNumberText("_confidence")} AS _confidence_text FROM golden_values)`,
    "the golden records as JSON",
  );
  return { values: "golden_values", json: "golden", columns, presorted: d.keepsTableOrder };
}
