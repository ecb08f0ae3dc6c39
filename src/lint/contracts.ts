import { diagnosticAt } from "../config/locate.js";
import { resourcesOf, type Resource } from "../config/project.js";
import { didYouMean } from "../util/did-you-mean.js";
import type { LintContext, LintRule } from "./rule.js";

/** The export bound to a contract delivers its columns, with their types, and its primary key (SPEC section 3). */
export const contractsRule: LintRule = {
  name: "contracts",
  run(ctx) {
    for (const r of resourcesOf(ctx.project, "export")) {
      if (!r.valid || r.spec.contract === undefined) continue;
      const contract = ctx.index.byName.contract.get(r.spec.contract);
      if (!contract) {
        const known = [...ctx.index.byName.contract.keys()];
        const guess = didYouMean(r.spec.contract, known);
        ctx.report(
          diagnosticAt(
            r.doc,
            ["contract"],
            "ref/unknown-contract",
            `Contract "${r.spec.contract}" is not defined.`,
            {
              hint: guess ? `Did you mean "${guess}"?` : "Add the contract under config/contracts/.",
            },
          ),
        );
        continue;
      }
      if (contract.valid) checkBinding(ctx, r, contract);
    }
  },
};

function checkBinding(ctx: LintContext, r: Resource<"export">, contract: Resource<"contract">): void {
  const mapping = r.spec.mapping ?? {};
  const c = contract.spec;
  const keys = typeof c.primary_key === "string" ? [c.primary_key] : c.primary_key;
  const where = `contract "${c.name}" (${contract.doc.file.path})`;
  for (const key of keys) {
    if (!Object.hasOwn(mapping, key)) {
      ctx.report(
        diagnosticAt(
          r.doc,
          r.spec.mapping ? ["mapping"] : ["contract"],
          "contract/primary-key-not-delivered",
          `The export does not deliver primary key column "${key}" of ${where}.`,
          {
            part: "key",
            hint: `Add \`${key}: <Entity>.<field>\` to the export's mapping.`,
          },
        ),
      );
    }
  }
  const tableKey =
    r.spec.type === "sql-table" ? (r.spec.options as { primary_key?: string[] }).primary_key : undefined;
  if (tableKey && tableKey.join(",") !== keys.join(",")) {
    ctx.report(
      diagnosticAt(
        r.doc,
        ["options", "primary_key"],
        "contract/primary-key-mismatch",
        `options.primary_key [${tableKey.join(", ")}] differs from the primary key [${keys.join(", ")}] of ${where}.`,
        {
          hint: "Use the contract's primary key; changing it is a breaking change that needs a new _v2 export and contract.",
        },
      ),
    );
  }
  if (c.delivery && c.delivery.type !== r.spec.type) {
    ctx.report(
      diagnosticAt(
        r.doc,
        ["type"],
        "contract/delivery-type-mismatch",
        `The export is of type ${r.spec.type} but ${where} is delivered by ${c.delivery.type}.`,
        {
          hint: "Bind the contract to an export of its delivery type, or correct delivery.type.",
        },
      ),
    );
  }
  for (const [column, def] of Object.entries(c.columns ?? {})) {
    // Column names come from the user: `toString` must not find Object.prototype's.
    const ref = Object.hasOwn(mapping, column) ? mapping[column] : undefined;
    if (ref === undefined) {
      if (keys.includes(column)) continue; // already reported as the primary key
      ctx.report(
        diagnosticAt(
          r.doc,
          r.spec.mapping ? ["mapping"] : ["contract"],
          "contract/missing-column",
          `The export does not deliver column "${column}" of ${where}.`,
          {
            part: "key",
            hint: `Add \`${column}: <Entity>.<field>\` to the mapping; dropping a column needs a new _v2 contract.`,
          },
        ),
      );
      continue;
    }
    const [entity = "", field = ""] = ref.split(".");
    const type = ctx.index.fieldsOf(entity)?.[field]?.type;
    if (type !== undefined && type !== def.type) {
      ctx.report(
        diagnosticAt(
          r.doc,
          ["mapping", column],
          "contract/column-type-mismatch",
          `Column "${column}" is ${def.type} in ${where}, but ${ref} is ${type}.`,
          {
            hint: "Map a field of the contract's type; retyping a column is a breaking change.",
          },
        ),
      );
    }
  }
}
