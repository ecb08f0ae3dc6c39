/* Generated from schemas/dedup.schema.json by `npm run types`. Do not edit by hand. */

/**
 * The strategy for fields not listed under `fields`.
 */
export type SurvivorshipStrategy =
  "most_recent" | "source_priority" | "most_complete" | "most_frequent" | "longest";
/**
 * most_recent: the newest record's value; source_priority: the first source in order that has a value; most_complete: the value of the record with the most non-null fields; most_frequent: the commonest value; longest: the longest value.
 *
 * This interface was referenced by `DedupRules`'s JSON-Schema
 * via the `definition` "strategy".
 */
export type SurvivorshipStrategy1 =
  "most_recent" | "source_priority" | "most_complete" | "most_frequent" | "longest";
/**
 * Two or more record ids.
 *
 * @minItems 2
 *
 * This interface was referenced by `DedupRules`'s JSON-Schema
 * via the `definition` "recordIds".
 */
export type RecordIds = [string, string, ...string[]];

/**
 * How duplicate records of an entity are matched and merged into golden records.
 */
export interface DedupRules {
  /**
   * Optional: the kind is otherwise taken from the folder (config/dedup/).
   */
  kind?: "dedup";
  /**
   * The rule set's name, unique among dedup rule sets. Defaults to the entity's name.
   */
  name?: string;
  /**
   * The entity type whose records are matched.
   */
  entity: string;
  /**
   * What this rule set does, for people reading the config.
   */
  description?: string;
  /**
   * Who owns this resource (teams or people); used by release notes.
   */
  owners?: string[];
  /**
   * Blocking keys (expressions): only records that share a key's value are compared. Defaults to keys derived from the rules.
   */
  blocking?: string[];
  /**
   * Match rules. A pair's score is the highest confidence among the rules whose `when` is true.
   *
   * @minItems 1
   */
  rules: [MatchRule, ...MatchRule[]];
  /**
   * Pairs scoring at least this are merged automatically.
   */
  auto_approve_threshold: number;
  /**
   * Pairs scoring at least this (and below auto_approve_threshold) go to the review queue.
   */
  queue_threshold: number;
  /**
   * How each golden attribute's value is chosen among a cluster's records. Default: most_recent by updated_at, ties broken by source priority.
   */
  survivorship?: {
    default?: SurvivorshipStrategy;
    /**
     * The field most_recent compares.
     */
    recency_field?: string;
    /**
     * Source priority, highest first: breaks ties, and is the order for source_priority when a field gives none.
     */
    source_order?: string[];
    /**
     * Per-field strategies.
     */
    fields?: {
      [k: string]: FieldSurvivorship;
    };
  };
  /**
   * Manual match decisions, kept as code. Record ids are `source:id`, or a bare id when it is unambiguous.
   */
  decisions?: MatchDecision[];
}
/**
 * One match rule.
 */
export interface MatchRule {
  /**
   * The rule's name, unique within the rule set.
   */
  name: string;
  /**
   * What the rule matches on.
   */
  description?: string;
  /**
   * An expression over the record and `other`, the record it is compared with.
   */
  when: string;
  /**
   * The score a pair gets when `when` is true, from 0 to 1.
   */
  confidence: number;
}
/**
 * The strategy for one field.
 */
export interface FieldSurvivorship {
  strategy: SurvivorshipStrategy1;
  /**
   * For source_priority: the sources, highest priority first.
   *
   * @minItems 1
   */
  order?: [string, ...string[]];
}
/**
 * merge: these records are one; never_merge: these records must never share a cluster.
 */
export interface MatchDecision {
  merge?: RecordIds;
  never_merge?: RecordIds;
  /**
   * Why the decision was made.
   */
  reason?: string;
}
