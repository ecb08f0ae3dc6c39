import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readSchemas, type SchemaName } from "./schema-files.js";

export interface SchemaValidator {
  schema: Record<string, unknown>;
  validate(value: unknown): ErrorObject[];
  /** Validates a value against one branch of an anyOf/oneOf of this schema, to tell which branch was meant. */
  validateBranch(branch: Record<string, unknown>, value: unknown): ErrorObject[];
}

const branches = new WeakMap<object, ValidateFunction>();

let ajv: Ajv2020 | undefined;
let schemas: Record<string, object> | undefined;
const compiled = new Map<SchemaName, SchemaValidator>();

/** The validator of one schema: compiled on first use, then reused for every document (compile once, run many). */
export function validatorFor(name: SchemaName): SchemaValidator {
  const cached = compiled.get(name);
  if (cached) return cached;
  schemas ??= readSchemas();
  ajv ??= createAjv(schemas);
  const schema = schemas[name] as Record<string, unknown> | undefined;
  if (!schema) throw new Error(`no schema named ${name}`);
  const fn: ValidateFunction = ajv.getSchema(schema.$id as string) ?? ajv.compile(schema);
  const instance = ajv;
  const validator: SchemaValidator = {
    schema,
    validate: (value) => (fn(value) ? [] : [...(fn.errors ?? [])]),
    validateBranch(branch, value) {
      let branchFn = branches.get(branch);
      if (!branchFn) {
        // A branch is compiled with the root's $defs beside it, so its local $refs resolve. Only on the error path.
        const ref = branch.$ref;
        branchFn =
          (typeof ref === "string" && ref.startsWith("#")
            ? instance.getSchema(`${String(schema.$id)}${ref}`)
            : undefined) ?? instance.compile({ $defs: schema.$defs, ...branch });
        branches.set(branch, branchFn);
      }
      return branchFn(value) ? [] : [...(branchFn.errors ?? [])];
    },
  };
  compiled.set(name, validator);
  return validator;
}

function createAjv(all: Record<string, object>): Ajv2020 {
  // allErrors: users fix ten problems per run, not one. verbose: errors carry their schema, for hints.
  const instance = new Ajv2020({
    allErrors: true,
    verbose: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
  });
  (addFormats as unknown as (a: Ajv2020) => void)(instance);
  for (const schema of Object.values(all)) instance.addSchema(schema);
  return instance;
}
