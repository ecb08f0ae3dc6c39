/**
 * The rule actions clue writes, by their UI names. The CLR type names of Add Tag, Set Value, Delete Value and the
 * Formula Action are published (CluedIn.SDK.Py); those of the survivorship actions are not, so theirs are inferred
 * from the pattern and the target resolves every action by its UI name against the server's catalogue
 * (`GET /api/v1/rules/actions`) before writing.
 */
import type { RuleAction } from "./model.js";

export interface ActionDef {
  name: string;
  type: string;
  inferred: boolean;
}

const def = (name: string, cls: string, inferred = false): ActionDef => ({
  name,
  type: `CluedIn.Rules.Actions.${cls}, CluedIn.Rules`,
  inferred,
});

export const ACTIONS = {
  addTag: def("Add Tag", "AddTag"),
  setValue: def("Set Value", "SetValue"),
  deleteValue: def("Delete Value", "DeleteValue"),
  formula: def("Formula Action", "ExpressionAction"),
  mostFrequent: def("Most Frequent Value", "MostFrequentValue", true),
  latestModified: def("Latest Modified Date", "LatestModifiedDate", true),
  mostProperties: def("Most Properties", "MostProperties", true),
  providerDefinition: def("Provider Definition", "ProviderDefinition", true),
} as const;

export type ActionKey = keyof typeof ACTIONS;

export function action(key: ActionKey, properties: Record<string, string>): RuleAction {
  const { name, type } = ACTIONS[key];
  return { name, type, properties };
}

/** Which action an object's action is: compared on the UI name, then on the first two parts of the CLR type. */
export function actionKey(a: RuleAction): ActionKey | undefined {
  const clr = (t: string) =>
    t
      .split(",")
      .slice(0, 2)
      .map((p) => p.trim())
      .join(", ");
  return (Object.keys(ACTIONS) as ActionKey[]).find(
    (k) => ACTIONS[k].name === a.name || ACTIONS[k].type === clr(a.type),
  );
}
