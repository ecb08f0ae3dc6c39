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
