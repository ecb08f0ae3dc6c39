import { hash } from "node:crypto";
import type { DedupRules } from "../types/index.js";
import type { MatchRecord } from "../matching/engine.js";
import type { Value } from "../expr/types.js";
import type { Cluster } from "./clusters.js";
import { strategies, type Candidate, type Strategy } from "./survivorship.js";

export interface GoldenAttribute {
  value: Value;
  provenance: string;
  record: string;
  confidence: number;
}

export interface GoldenRecord {
  entityType: string;
  entityId: string;
  members: { source: string; id: string }[];
  attributes: Record<string, GoldenAttribute>;
}

/**
 * One golden record per cluster: each attribute chosen by its survivorship strategy among the members that have a
 * value, with where it came from. The entityId hashes the sorted member keys, so the same members give the same id
 * on every run.
 */
export function goldenRecords(
  entity: string,
  fields: readonly string[],
  records: readonly MatchRecord[],
  clusters: readonly Cluster[],
  survivorship: DedupRules["survivorship"],
): GoldenRecord[] {
  return clusters.map(goldenRecordMaker(entity, fields, records, survivorship));
}

/**
 * The golden record of one cluster at a time (goldenRecords, without holding them all): survivorship is resolved
 * per field once, and a member's completeness and recency once per member.
 */
export function goldenRecordMaker(
  entity: string,
  fields: readonly string[],
  records: readonly MatchRecord[],
  survivorship: DedupRules["survivorship"],
): (cluster: Cluster) => GoldenRecord {
  const choose = survivorChooser(fields, records, survivorship);
  return (cluster) => {
    const members = cluster.members.map((i) => records[i] as MatchRecord);
    const chosen = choose(cluster);
    const attributes: Record<string, GoldenAttribute> = {};
    fields.forEach((field, f) => {
      const i = chosen[f] as number;
      if (i === -1) return;
      const m = records[i] as MatchRecord;
      attributes[field] = {
        value: m.row[field] as Value,
        provenance: m.source,
        record: m.id,
        confidence: cluster.confidence,
      };
    });
    return {
      entityType: entity,
      entityId: entityIdOf(entity, members),
      members: members.map((m) => ({ source: m.source, id: m.id })),
      attributes,
    };
  };
}

/**
 * The golden record of one cluster as its JSON text, exactly JSON.stringify(goldenRecordMaker(...)(cluster)), written
 * straight from the member records: what `clue run --stage golden` writes, a million records without a million
 * object graphs made only to be serialized.
 */
export function goldenLineMaker(
  entity: string,
  fields: readonly string[],
  records: readonly MatchRecord[],
  survivorship: DedupRules["survivorship"],
): (cluster: Cluster) => string {
  // `attributes.__proto__ = ...` sets a prototype, which JSON.stringify leaves out: such an entity (its fields
  // allow the name) is written from the object, so that the two never differ.
  if (fields.includes("__proto__")) {
    const make = goldenRecordMaker(entity, fields, records, survivorship);
    return (cluster) => JSON.stringify(make(cluster));
  }
  const choose = survivorChooser(fields, records, survivorship);
  const head = `{"entityType":${JSON.stringify(entity)},"entityId":"`;
  const opens = fields.map((field) => `${JSON.stringify(field)}:{"value":`);
  const quoted = new Map<string, string>();
  /** A source name as JSON: there are a handful, each quoted once. */
  const sourceText = (source: string): string => {
    let text = quoted.get(source);
    if (text === undefined) quoted.set(source, (text = JSON.stringify(source)));
    return text;
  };
  // What follows a value of member k: its provenance, record and the cluster's confidence, the same for every
  // attribute the member gives (a cluster of one gives them all), so it is made once per member.
  let tails: string[] = [];
  return (cluster) => {
    const members = cluster.members.map((i) => records[i] as MatchRecord);
    const confidence = JSON.stringify(cluster.confidence);
    let text = `${head}${entityIdOf(entity, members)}","members":[`;
    if (tails.length < members.length) tails = new Array<string>(members.length);
    members.forEach((m, k) => {
      const source = sourceText(m.source);
      const id = jsonText(m.id);
      text += `${k === 0 ? "" : ","}{"source":${source},"id":${id}}`;
      tails[k] = `,"provenance":${source},"record":${id},"confidence":${confidence}}`;
    });
    text += `],"attributes":{`;
    const chosen = choose(cluster);
    const only = members.length === 1;
    let first = true;
    for (let f = 0; f < fields.length; f++) {
      const i = chosen[f] as number;
      if (i === -1) continue;
      const m = records[i] as MatchRecord;
      const tail = tails[only ? 0 : cluster.members.indexOf(i)] as string;
      text += `${first ? "" : ","}${opens[f] as string}${jsonText(m.row[fields[f] as string])}${tail}`;
      first = false;
    }
    return `${text}}}`;
  };
}

/** Text that JSON writes as it is, between quotes: no quote, backslash, control character or lone surrogate. */
// eslint-disable-next-line no-control-regex -- the control characters are what JSON escapes
const PLAIN_TEXT = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/**
 * JSON.stringify(value), with plain text (nearly every value) quoted without it: a regular expression's test and a
 * template cost a third of JSON.stringify's call for a short string, and a golden record has a dozen such values.
 */
function jsonText(value: unknown): string {
  return typeof value === "string" && PLAIN_TEXT.test(value) ? `"${value}"` : JSON.stringify(value);
}

/** The entityId hashes the sorted member keys, so the same members give the same id on every run. */
function entityIdOf(entity: string, members: readonly MatchRecord[]): string {
  const only = members.length === 1 ? (members[0] as MatchRecord) : undefined;
  const keys =
    only !== undefined
      ? `${only.source}:${only.id}`
      : members
          .map((m) => `${m.source}:${m.id}`)
          .sort()
          .join("\u0000");
  return `cluedin:entity:${hash("sha256", `${entity}\u0000${keys}`).slice(0, 32)}`;
}

/**
 * Per field (in `fields` order), the index of the record whose value survives, or -1 when no member has a value:
 * each attribute chosen by its survivorship strategy among the members that have a value.
 */
function survivorChooser(
  fields: readonly string[],
  records: readonly MatchRecord[],
  survivorship: DedupRules["survivorship"],
): (cluster: Cluster) => Int32Array {
  const recencyField = survivorship?.recency_field ?? "updated_at";
  const defaultStrategy: Strategy = survivorship?.default ?? "most_recent";
  const sourceOrder = survivorship?.source_order ?? [];
  const choosers = fields.map((field) => {
    const rule = survivorship?.fields?.[field];
    return { field, pick: strategies[rule?.strategy ?? defaultStrategy], order: rule?.order ?? sourceOrder };
  });
  const chosen = new Int32Array(fields.length);
  return (cluster) => {
    const only = cluster.members.length === 1 ? (cluster.members[0] as number) : undefined;
    if (only !== undefined) {
      // One member: every strategy picks its value, where it has one.
      const row = (records[only] as MatchRecord).row;
      for (let f = 0; f < fields.length; f++) {
        const value = row[fields[f] as string];
        chosen[f] = value === null || value === undefined ? -1 : only;
      }
      return chosen;
    }
    const members = cluster.members.map((i) => records[i] as MatchRecord);
    const recency = members.map((m) => (m.row[recencyField] ?? null) as Value);
    const completeness = members.map(
      (m) => fields.filter((f) => m.row[f] !== null && m.row[f] !== undefined).length,
    );
    choosers.forEach(({ field, pick, order }, f) => {
      const candidates: Candidate[] = [];
      members.forEach((m, k) => {
        const value = (m.row[field] ?? null) as Value;
        if (value === null) return;
        candidates.push({
          value,
          source: m.source,
          id: m.id,
          recency: recency[k] as Value,
          completeness: completeness[k] as number,
          order: cluster.members[k] as number,
        });
      });
      const picked = pick(candidates, order);
      chosen[f] = picked === undefined ? -1 : picked.order;
    });
    return chosen;
  };
}
