import { filterProblems, type FilterRule } from "./conditions.js";

/** The rule actions the sources verify, by the first two parts of their CLR type name. */
export const VERIFIED_ACTIONS: Record<string, string> = {
  "CluedIn.Rules.Actions.AddTag, CluedIn.Rules": "Add Tag",
  "CluedIn.Rules.Actions.SetValue, CluedIn.Rules": "Set Value",
  "CluedIn.Rules.Actions.DeleteValue, CluedIn.Rules": "Delete Value",
  "CluedIn.Rules.Actions.ExpressionAction, CluedIn.Rules": "Formula Action",
};

const EXPRESSION_ACTION = "CluedIn.Rules.Actions.ExpressionAction, CluedIn.Rules";
/** `Namespace.Type, Assembly`: what .NET can resolve; older servers append version and key, which we ignore. */
const CLR_TYPE = /^[A-Za-z_][\w.]*\.[A-Za-z_]\w*, [A-Za-z_][\w.]*$/;

interface ChildRule {
  conditions?: FilterRule | null;
  actions?: { type?: string | null; name?: string | null }[] | null;
}

/** The type name without `, Version=…, Culture=…, PublicKeyToken=…`, which older servers add. */
export function actionType(type: string | null | undefined): string {
  return (type ?? "")
    .split(",")
    .slice(0, 2)
    .map((s) => s.trim())
    .join(", ");
}

/**
 * What the platform refuses in a rule or stream body beyond its schema: a filter with an unknown operator or object
 * type ("invalid filter"), an action whose type cannot be resolved ("unregistered action"), and a Formula Action
 * in a survivorship rule, which the documentation says that scope does not offer. Which other action types a real
 * server registers is unpublished (`GET /api/v1/rules/actions` lists them), so any well-formed type name passes.
 */
export function ruleProblems(
  condition: FilterRule | null | undefined,
  children: ChildRule[] | null | undefined,
  options: { survivorship: boolean },
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (errors[field] ??= []).push(message);
  for (const message of filterProblems(condition, "condition"))
    add(message.split(" ")[0] ?? "condition", message);
  (children ?? []).forEach((child, i) => {
    for (const message of filterProblems(child.conditions, `rules[${i}].conditions`))
      add(message.split(" ")[0] ?? `rules[${i}]`, message);
    (child.actions ?? []).forEach((action, j) => {
      const field = `rules[${i}].actions[${j}].type`;
      const type = actionType(action.type);
      if (!CLR_TYPE.test(type)) add(field, `action type "${action.type ?? ""}" is not registered`);
      else if (options.survivorship && type === EXPRESSION_ACTION)
        add(field, "Formula Action is not available in survivorship rules");
    });
  });
  return errors;
}
