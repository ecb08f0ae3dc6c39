/**
 * The REST enums of CluedIn's published API, name ↔ integer. The OpenAPI document declares these enums as bare
 * integers without names, and no source states the mapping: every table below is inferred (the order the
 * documentation or a connector lists the names in) unless `inferred` is false. The target's client writes the
 * integers; the stand-in (`clue serve --api cluedin`) accepts integers and names. Correct a table here, in one
 * place, once a live tenant settles it.
 */

export interface RestEnum {
  /** Names in integer order: `names[i]` is sent as `i`. */
  names: readonly string[];
  /** True while the mapping is a guess; every entry is today. */
  inferred: boolean;
  /** Why this order. */
  basis: string;
}

export const REST_ENUMS = {
  ProcessingRuleScope: {
    names: ["DataPart", "Entity", "Survivorship"],
    inferred: true,
    basis: "Scopes in pipeline order; the published notes say lists default to DataPart, which suggests 0.",
  },
  StreamMode: {
    names: ["Sync", "EventStream"],
    inferred: true,
    basis: "The SQL Server connector lists its modes as Sync, EventStream.",
  },
  MappingTypeEnum: {
    names: ["metadata", "vocabkey"],
    inferred: true,
    basis: "The order the GraphQL setupConnectorStream input names them.",
  },
  VocabularyKeyDataType: {
    names: [
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
    ],
    inferred: true,
    basis: "The documentation's data type list: 28 names for the schema's 28 integers, order unverified.",
  },
  VocabularyKeyStorage: {
    names: ["Keyword", "Typed", "Untyped"],
    inferred: true,
    basis:
      "The documentation names three storages; the schema has a fourth integer, unnamed, which clue never sends.",
  },
  DeduplicationScopeFilterType: {
    names: ["EntityType", "Advanced"],
    inferred: true,
    basis: "The UI offers 'by entity type' before 'advanced filter'.",
  },
  MatchingLevel: {
    names: ["Property", "VocabularyKey"],
    inferred: true,
    basis: "The documentation names entity properties before vocabulary keys.",
  },
  ActionControlKind: {
    names: ["None", "Expression"],
    inferred: true,
    basis: "GraphQL shows None and Expression; the other integers (to 8) are unnamed and never sent.",
  },
} as const satisfies Record<string, RestEnum>;

export type RestEnumName = keyof typeof REST_ENUMS;

/** The integer the REST API takes for a name; undefined for a name the table does not have. */
export function enumToInt(type: RestEnumName, name: string): number | undefined {
  const index = (REST_ENUMS[type].names as readonly string[]).indexOf(name);
  return index < 0 ? undefined : index;
}

/**
 * The name for what the REST API sent: an integer, or a name (the stand-in and newer servers may answer with names;
 * matched case-insensitively). Undefined for anything else.
 */
export function enumFromRest(type: RestEnumName, value: unknown): string | undefined {
  const names = REST_ENUMS[type].names as readonly string[];
  if (typeof value === "number") return Number.isInteger(value) ? names[value] : undefined;
  if (typeof value === "string") return names.find((n) => n.toLowerCase() === value.toLowerCase());
  return undefined;
}

/** One enum as integers beside names: the shape the stand-in's request checks use (src/serve/cluedin/). */
export interface EnumTable {
  /** `names[i]` is the name of integer `values[i]`. */
  names: readonly string[];
  values: readonly number[];
  inferred: boolean;
}

/** REST_ENUMS as tables of integers and names, keyed by the schema name's last segment. */
export const CLUEDIN_ENUMS = Object.fromEntries(
  Object.entries(REST_ENUMS).map(([name, e]) => [
    name,
    { names: e.names, values: e.names.map((_, i) => i), inferred: e.inferred },
  ]),
) as unknown as { readonly [K in RestEnumName]: EnumTable };

/** The integer for a name (case-insensitive, as ASP.NET's enum binding is), or undefined. */
export function enumValue(table: EnumTable, name: string): number | undefined {
  const i = table.names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  return i < 0 ? undefined : table.values[i];
}
