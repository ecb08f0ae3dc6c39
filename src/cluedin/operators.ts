/**
 * Platform constants of CluedIn's condition trees (`FilterRule`): operator ids and the object-type ids that say what
 * a leaf's `field` is. They are facts of the platform, not choices (CluedIn.SDK.Py `operators.py`, as digested in
 * the research notes); the target checks at plan time that the server's `GET /api/v1/rules/operators` has them.
 */

export const OPERATORS = {
  Equals: "0bafc522-8011-43ba-978a-babe222ba466",
  NotEqual: "4f7f2b0f-155a-4208-b849-3e972f5d89d2",
  Contains: "4988d076-3ec1-4414-9f56-5b9b30e25f72",
  NotContains: "4af53db0-acdb-44a6-89a1-40fa8ef05cde",
  BeginsWith: "daf3a318-569f-4baf-a17f-35b4426ae603",
  NotBeginsWith: "bbd02195-213e-40e2-9597-65ec05100dfc",
  EndsWith: "ff9a47ac-8e3c-4123-80ee-e0b660aa5f9f",
  NotEndsWith: "3527ff72-bdd4-4bb4-b964-f18898d5a82d",
  In: "31feed84-ce0e-435f-ba94-ce01b9c7bd15",
  NotIn: "25c16d50-d170-4295-ad85-c2571431794a",
  Greater: "85ecec6b-9c45-4365-9614-ef090137098d",
  GreaterOrEqual: "5a2d1185-7fd8-4dda-9d33-7f69e42e9147",
  Less: "0de353ce-bbe4-4a27-8e20-0dc21947e987",
  LessOrEqual: "42d4d22d-e37a-4c5f-96eb-7ae59513f80f",
  Between: "566bc291-df6a-427c-b7f4-00f8766d37a2",
  NotBetween: "5642150e-fa0a-462c-a230-619d97cb3f8b",
  Exists: "306e5d29-832f-41e7-a6db-1c02eb5ebf74",
  DoesNotExist: "16b2dc07-94e3-4c29-bc60-a7a1d25de53b",
  IsNotNull: "a42a9f87-7944-4d07-b1f3-d2f404bc4fd7",
  IsNull: "9ad76320-021e-4211-9e9a-8b148c9c600d",
  MatchesPattern: "4e4782d7-8c17-47c1-9797-37434fce0c77",
  DoesNotMatchPattern: "9253eea0-5975-460a-8373-dd6ff57d4e65",
  IsTrue: "04f2d73a-c908-4bc3-a7d5-1774b7db44dd",
  IsFalse: "dfbfc760-69ea-4241-b33e-0425c2a51688",
} as const;

export type OperatorName = keyof typeof OPERATORS;

/** What a leaf's `field` names. */
export const OBJECT_TYPES = {
  /** An entity metadata property: `EntityType`, `Name`, `Aliases`... */
  property: "3be85371-cbe0-4180-8820-73e6e37a6c32",
  /** A vocabulary key: `Properties[person.email]`. */
  vocabularyKey: "011ac3b4-0b46-4f9c-a82a-8c14f9dd642b",
  /** A Power Fx formula returning a boolean, held in `value[0]`. */
  powerFx: "96102979-e952-43d8-afe6-987676c0698b",
} as const;

const NAMES = new Map<string, OperatorName>(
  Object.entries(OPERATORS).map(([name, id]) => [id, name as OperatorName]),
);

/** The operator's name for an id, or undefined for one clue does not know. */
export function operatorName(id: string): OperatorName | undefined {
  return NAMES.get(id);
}

/**
 * Each operator and the one true exactly when it is false on a value that is present. Negating a leaf must also
 * keep absent values out (clue's comparisons with null are null, i.e. false): conditions.ts adds Is Not Null.
 */
export const NEGATIONS: Partial<Record<OperatorName, OperatorName>> = {
  Equals: "NotEqual",
  NotEqual: "Equals",
  In: "NotIn",
  NotIn: "In",
  Greater: "LessOrEqual",
  LessOrEqual: "Greater",
  Less: "GreaterOrEqual",
  GreaterOrEqual: "Less",
  MatchesPattern: "DoesNotMatchPattern",
  DoesNotMatchPattern: "MatchesPattern",
  IsNull: "IsNotNull",
  IsNotNull: "IsNull",
};
