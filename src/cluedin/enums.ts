/**
 * The integers CluedIn's REST schemas declare for its enums, with the names its GraphQL API and documentation use.
 * The published OpenAPI document lists bare integers (`ProcessingRuleScope` is `[0, 1, 2]`) and never says which
 * name each stands for, so every mapping here is marked: `inferred: true` means the order is our best reading of
 * the sources (DIGEST section 3), not a published fact. The target sends integers; the stand-in accepts both.
 */
export interface EnumTable {
  /** `names[i]` is the name of integer `values[i]`. */
  names: readonly string[];
  values: readonly number[];
  /** True when the name ↔ integer pairing is not published (every one, so far). */
  inferred: boolean;
}

const ordered = (names: readonly string[], inferred = true): EnumTable => ({
  names,
  values: names.map((_, i) => i),
  inferred,
});

/** Keyed by the schema name's last segment (`CluedIn.Core.Rules.Models.ProcessingRuleScope` → ProcessingRuleScope). */
export const CLUEDIN_ENUMS = {
  // The overlay says lists default to DataPart, and the GraphQL/toolkit order is DataPart, Entity, Survivorship.
  ProcessingRuleScope: ordered(["DataPart", "Entity", "Survivorship"]),
  // The SQL Server connector lists Sync, EventStream in that order.
  StreamMode: ordered(["Sync", "EventStream"]),
  MappingTypeEnum: ordered(["metadata", "vocabkey"]),
  DeduplicationScopeFilterType: ordered(["EntityType", "Advanced"]),
  MatchingLevel: ordered(["Property", "VocabularyKey"]),
  // The documentation's order of data types; 28 names for the 28 integers.
  VocabularyKeyDataType: ordered([
    "Text",
    "DateTime",
    "Time",
    "Duration",
    "Boolean",
    "Integer",
    "Number",
    "Uri",
    "Guid",
    "Email",
    "PhoneNumber",
    "TimeZone",
    "GeographyCity",
    "GeographyState",
    "GeographyCountry",
    "GeographyCoordinates",
    "GeographyLocation",
    "Json",
    "Xml",
    "Html",
    "IPAddress",
    "Color",
    "Money",
    "Currency",
    "PersonName",
    "OrganizationName",
    "Identifier",
    "Lookup",
  ]),
  // Four integers, three documented names: the fourth stays nameless.
  VocabularyKeyStorage: ordered(["Keyword", "Typed", "Untyped"]),
  ActionControlKind: ordered(["None", "Expression"]),
} as const satisfies Record<string, EnumTable>;

export type CluedinEnum = keyof typeof CLUEDIN_ENUMS;

/** The integer for a name (case-insensitive, as ASP.NET's enum binding is), or undefined. */
export function enumValue(table: EnumTable, name: string): number | undefined {
  const i = table.names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  return i < 0 ? undefined : table.values[i];
}

/** The name for an integer, or undefined for one the table has no name for. */
export function enumName(table: EnumTable, value: number): string | undefined {
  const i = table.values.indexOf(value);
  return i < 0 ? undefined : table.names[i];
}
