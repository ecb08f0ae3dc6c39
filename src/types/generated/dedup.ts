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
   * Link records across sources only: pairs of two records from one source are never generated (blocking skips them, they are not filtered afterwards).
   */
  link_only?: boolean;
  /**
   * Each record keeps only its best link to each other source: a pair survives when it is the best of both its records (ties go to the earlier record).
   */
  one_to_one?: boolean;
  /**
   * Deterministic match rules. A pair's score is the highest confidence among the rules whose `when` is true (and the model's probability, when `comparisons:` are given, if higher). With comparisons they also set the prior in `clue train`.
   *
   * @minItems 1
   */
  rules?: [MatchRule, ...MatchRule[]];
  /**
   * The probability that two records drawn at random are the same entity. Written by `clue train` (from the deterministic rules), or set by hand.
   */
  prior?: number;
  /**
   * The probabilistic model (Fellegi–Sunter): each comparison puts a pair in the first of its levels whose condition holds; the pair's match weight is log2 of the prior odds plus each level's log2(m/u), and its probability 2^w/(1+2^w) is what the thresholds compare.
   *
   * @minItems 1
   */
  comparisons?: [Comparison, ...Comparison[]];
  /**
   * How `clue train` estimates the model.
   */
  training?: {
    /**
     * The EM passes: each a condition over the pair (Splink's training blocking rules). A comparison that reads a field a pass blocks on is not estimated by that pass, so use two or more passes on different fields.
     *
     * @minItems 1
     */
    blocking?: [string, ...string[]];
    /**
     * Seeds the random pairs that estimate u: the same seed, records and file give the same numbers.
     */
    seed?: number;
    /**
     * How many random pairs estimate u (all pairs when there are fewer).
     */
    max_pairs?: number;
    /**
     * The share of true matches the deterministic rules are assumed to find, for the prior.
     */
    recall?: number;
    /**
     * EM stops after this many iterations of a pass if it has not converged.
     */
    max_iterations?: number;
  };
  /**
   * Pairs scoring at least this are merged automatically.
   */
  auto_approve_threshold: number;
  /**
   * Pairs scoring at least this (and below auto_approve_threshold) go to the review queue.
   */
  queue_threshold: number;
  /**
   * Stops a cluster from chaining through many merges into one golden record: merges are applied strongest first, and a merge that would make a cluster larger than max_size is skipped (split) or kept and reported (flag); a cluster of three or more records in which fewer than min_density of its record pairs matched is split along its weakest links (split) or reported (flag). Either way the run warns, naming the pairs that chained it.
   */
  cluster_guard?: {
    /**
     * The most records one cluster may hold.
     */
    max_size?: number;
    /**
     * Coherence: the least share of a cluster's record pairs that must have matched (scored at or above queue_threshold), for clusters of three or more. A chain A–B–C where A and C do not match has density 2/3.
     */
    min_density?: number;
    /**
     * split: skip the merges that would pass max_size (the weakest go first) and rebuild an incoherent cluster from its strongest merges; flag: keep them and warn.
     */
    action?: "split" | "flag";
  };
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
  /**
   * Use the rule only in `clue train`, to count the pairs it finds for the prior (as Splink's deterministic rules): it never brings pairs together or scores them in a run.
   */
  prior_only?: boolean;
}
/**
 * One comparison: ordered levels, strictest first.
 */
export interface Comparison {
  /**
   * The comparison's name, unique within the rule set.
   */
  name: string;
  /**
   * What the comparison looks at.
   */
  description?: string;
  /**
   * An expression over one record whose values' frequencies adjust the levels marked `tf: true`: a rare value counts for more than a common one.
   */
  term_frequency?: string;
  /**
   * The levels, tried in order; the last usually has no `when` (everything else).
   *
   * @minItems 2
   */
  levels: [ComparisonLevel, ComparisonLevel, ...ComparisonLevel[]];
}
/**
 * One level of a comparison.
 */
export interface ComparisonLevel {
  /**
   * The level's name, unique within the comparison.
   */
  name: string;
  /**
   * A condition over the record and `other`. Leave it out on the last level: everything else.
   */
  when?: string;
  /**
   * A null level (one of the values is missing) says nothing about the pair: weight 0, and no m or u.
   */
  null_level?: boolean;
  /**
   * Adjust this level by term frequency (needs the comparison's `term_frequency`): u becomes the frequency of the pair's value (the greater of the two).
   */
  tf?: boolean;
  /**
   * How often true matches fall into this level. Written by `clue train`.
   */
  m?: number;
  /**
   * How often non-matches fall into this level. Written by `clue train`.
   */
  u?: number;
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
  /**
   * Who made it (clue review writes git config's `user.name <user.email>`).
   */
  reviewer?: string;
  /**
   * The day it was made, YYYY-MM-DD.
   */
  date?: string;
}
