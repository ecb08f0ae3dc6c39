import { createHash } from "node:crypto";
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
  const recencyField = survivorship?.recency_field ?? "updated_at";
  const defaultStrategy: Strategy = survivorship?.default ?? "most_recent";
  const sourceOrder = survivorship?.source_order ?? [];
  return clusters.map((cluster) => {
    const members = cluster.members.map((i) => records[i] as MatchRecord);
    const keys = members.map((m) => `${m.source}:${m.id}`).sort();
    const entityId = `cluedin:entity:${createHash("sha256")
      .update(`${entity}\u0000${keys.join("\u0000")}`)
      .digest("hex")
      .slice(0, 32)}`;
    const attributes: Record<string, GoldenAttribute> = {};
    for (const field of fields) {
      const rule = survivorship?.fields?.[field];
      const strategy = rule?.strategy ?? defaultStrategy;
      const order = rule?.order ?? sourceOrder;
      const candidates: Candidate[] = [];
      members.forEach((m, k) => {
        const value = (m.row[field] ?? null) as Value;
        if (value === null) return;
        const recency = (m.row[recencyField] ?? null) as Value;
        const completeness = fields.filter((f) => m.row[f] !== null && m.row[f] !== undefined).length;
        candidates.push({
          value,
          source: m.source,
          id: m.id,
          recency,
          completeness,
          order: cluster.members[k] as number,
        });
      });
      const chosen = strategies[strategy](candidates, order);
      if (chosen)
        attributes[field] = {
          value: chosen.value,
          provenance: chosen.source,
          record: chosen.id,
          confidence: cluster.confidence,
        };
    }
    return {
      entityType: entity,
      entityId,
      members: members.map((m) => ({ source: m.source, id: m.id })),
      attributes,
    };
  });
}
