/**
 * The CluedIn platform's configuration objects, as clue compiles them and reads them back: the fields of the
 * published API's request bodies (CluedIn.Server.WebApi, see openapi/cluedin/), minus what the server assigns (ids,
 * timestamps, counters), with enums by name. Ids stay out of the model: objects are matched by their natural key
 * (an entity type's code, a vocabulary's prefix, a key's full name, a rule's scope and name, a project's or stream's
 * name), so a plan compares what the platform does, not which GUIDs it chose. The target's client turns a model
 * object into a request body (integers for REST enums, ids resolved) and a response back into a model object.
 *
 * Everything here is plain data: the compiler (src/cluedin/kinds/) produces it, the target diffs and writes it,
 * the stand-in (`clue serve --api cluedin`) stores the request bodies it stands for.
 */

/** The empty GUID: "none" in the platform's condition trees. */
export const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

/** A condition tree node (`CluedIn.Core.Rules.QueryBuilder.FilterRule`), without its node id. */
export type Condition = ConditionGroup | ConditionLeaf;

/** AND/OR over its children; an empty AND group matches everything. */
export interface ConditionGroup {
  kind: "group";
  condition: "AND" | "OR";
  rules: Condition[];
}

/**
 * One test. `objectTypeId` says what `field` is: an entity property (`EntityType`, `Name`...), a vocabulary key
 * (`Properties[person.email]`), or a Power Fx formula (then `field` is null and `value` holds the formula).
 */
export interface ConditionLeaf {
  kind: "leaf";
  objectTypeId: string;
  field: string | null;
  /** An operator id (src/cluedin/operators.ts); the empty GUID for a Power Fx formula. */
  operator: string;
  /** The value type the UI shows (`string`, `integer`, `datetime`, `boolean`...); null for a formula. */
  type: string | null;
  /** Always strings, numbers written as text; [] for unary operators. */
  value: string[];
}

/** A rule action (`RuleActionModel`): its CLR type name and the properties it is given. */
export interface RuleAction {
  /** The UI name, e.g. "Add Tag". */
  name: string;
  /** e.g. `CluedIn.Rules.Actions.AddTag, CluedIn.Rules` */
  type: string;
  /** Property name → value, e.g. `{ Value: "clue:invalid:email_format" }`, `{ FieldName, Value }`, `{ Expression }`. */
  properties: Record<string, string>;
}

/** A child processing rule: its own condition and actions, run in `order`. */
export interface ChildRule {
  name: string;
  order: number;
  isActive: boolean;
  conditions: Condition;
  actions: RuleAction[];
}

export type RuleScope = "DataPart" | "Entity" | "Survivorship";

/** Which model objects there are, with their natural keys. */
export type CluedinObject =
  EntityTypeObject | VocabularyObject | VocabularyKeyObject | RuleObject | DedupProjectObject | StreamObject;

export type CluedinObjectType = CluedinObject["type"];

/** An entity type ("business domain"). The platform can neither rename nor delete one: clue only creates them. */
export interface EntityTypeObject {
  type: "entity-type";
  /** The code, e.g. `/Person`. */
  key: string;
  body: { type: string; displayName: string; icon: string; route: string; active: boolean };
}

export interface VocabularyObject {
  type: "vocabulary";
  /** The key prefix, e.g. `person`; it can never change on the platform. */
  key: string;
  body: { vocabularyName: string; keyPrefix: string; grouping: string; description: string };
}

/** Data type and storage by the names the documentation uses (`Text`, `Email`, `DateTime`; `Keyword`, `Typed`). */
export interface VocabularyKeyObject {
  type: "vocabulary-key";
  /** The full name, `<prefix>.<name>`, e.g. `person.email`. */
  key: string;
  /** The vocabulary's prefix. */
  vocabulary: string;
  body: {
    name: string;
    displayName: string;
    groupName: string;
    dataType: string;
    storage: string;
    dataAnnotationsIsRequired: boolean;
    /** A code from the platform's classifications, or null. */
    dataClassificationCode: string | null;
    description: string;
  };
}

/** A data part, golden record (Entity) or survivorship rule with its child processing rules. */
export interface RuleObject {
  type: "rule";
  /** `<scope>/<name>`: rule names are unique per scope for clue (the platform does not enforce it). */
  key: string;
  body: {
    name: string;
    scope: RuleScope;
    isActive: boolean;
    description: string;
    condition: Condition;
    rules: ChildRule[];
  };
}

/**
 * One matching criterion: a field compared with a matching function after normalisations, all by the display names
 * the platform's catalogue (`GET /api/deduplication/projects/rules/matchingfunctions`) gives; the client resolves
 * them to the catalogue's ids when writing.
 */
export interface MatchingCriterion {
  name: string;
  /** `VocabularyKey` (a vocabulary key's full name) or `Property` (an entity property). */
  objectType: "VocabularyKey" | "Property";
  fieldName: string;
  matchingFunction: string;
  /** e.g. `{ threshold: 90 }` for a fuzzy function; null when it takes none. */
  comparisonConfiguration: Record<string, unknown> | null;
  normalizations: { name: string; configuration: Record<string, unknown> | null }[];
}

/** A deduplication project: its scope and matching rules (OR'd; a rule's criteria AND'd; no scores). */
export interface DedupProjectObject {
  type: "dedup-project";
  key: string;
  body: {
    name: string;
    description: string;
    /** `EntityType` scopes by entity type; `Advanced` by the filter. */
    deduplicationScopeFilterType: "EntityType" | "Advanced";
    deduplicationScopeFilter: Condition;
  };
  rules: { name: string; isActive: boolean; matchingCriteria: MatchingCriterion[] }[];
}

/** A stream: which golden records, what changes on the exported copy, and where they go. */
export interface StreamObject {
  type: "stream";
  key: string;
  body: {
    name: string;
    description: string;
    condition: Condition;
    /** Actions applied to the exported copy only (e.g. Delete Value for a redacted field). */
    rules: ChildRule[];
  };
  /** The export target and what is sent to it (`POST /api/v1/streams/setupconnector/{id}`). */
  connector: {
    /** The export target's id (Consume › Export Targets): clue references export targets, never creates them. */
    connectorProviderDefinitionId: string;
    containerName: string;
    mode: "Sync" | "EventStream";
    /** Exported properties: `metadata` (an entity property such as `Name`) or `vocabkey` (a full key name). */
    dataTypes: { key: string; type: "metadata" | "vocabkey" }[];
    exportIncomingEdges: boolean;
    exportOutgoingEdges: boolean;
  };
}

/**
 * What one clue resource deploys as on the platform: the spec of a desired resource on a `cluedin` target. The
 * objects are in the order they must be written.
 */
export interface CompiledResource {
  objects: CluedinObject[];
}

/** The natural key of an object across types: `rule:Entity/email_format`. */
export const objectAddress = (o: Pick<CluedinObject, "type" | "key">): string => `${o.type}:${o.key}`;
