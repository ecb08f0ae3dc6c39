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
  const recencyField = survivorship?.recency_field ?? "updated_at";
  const defaultStrategy: Strategy = survivorship?.default ?? "most_recent";
  const sourceOrder = survivorship?.source_order ?? [];
  const choosers = fields.map((field) => {
    const rule = survivorship?.fields?.[field];
    return { field, pick: strategies[rule?.strategy ?? defaultStrategy], order: rule?.order ?? sourceOrder };
  });
  return (cluster) => {
    const members = cluster.members.map((i) => records[i] as MatchRecord);
    const keys = members.map((m) => `${m.source}:${m.id}`).sort();
    const entityId = `cluedin:entity:${hash("sha256", `${entity}\u0000${keys.join("\u0000")}`).slice(0, 32)}`;
    const attributes: Record<string, GoldenAttribute> = {};
    const only = members.length === 1 ? members[0] : undefined;
    if (only !== undefined) {
      // One member: every strategy picks its value, where it has one.
      for (const { field } of choosers) {
        const value = (only.row[field] ?? null) as Value;
        if (value !== null)
          attributes[field] = {
            value,
            provenance: only.source,
            record: only.id,
            confidence: cluster.confidence,
          };
      }
    } else {
      const recency = members.map((m) => (m.row[recencyField] ?? null) as Value);
      const completeness = members.map(
        (m) => fields.filter((f) => m.row[f] !== null && m.row[f] !== undefined).length,
      );
      for (const { field, pick, order } of choosers) {
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
        const chosen = pick(candidates, order);
        if (chosen)
          attributes[field] = {
            value: chosen.value,
            provenance: chosen.source,
            record: chosen.id,
            confidence: cluster.confidence,
          };
      }
    }
    return {
      entityType: entity,
      entityId,
      members: members.map((m) => ({ source: m.source, id: m.id })),
      attributes,
    };
  };
}
