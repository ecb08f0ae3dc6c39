import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from "ajv/dist/2020.js";
import type * as AjvModule from "ajv/dist/2020.js";
import { readSchemas, type SchemaName } from "./schema-files.js";

export interface SchemaValidator {
  schema: Record<string, unknown>;
  validate(value: unknown): ErrorObject[];
  /** Validates a value against one branch of an anyOf/oneOf of this schema, to tell which branch was meant. */
  validateBranch(branch: Record<string, unknown>, value: unknown): ErrorObject[];
}

/** Shared with scripts/compile-schemas.mjs, so precompiled and run-time validators behave alike. */
export const ajvOptions: Options = {
  // allErrors: users fix ten problems per run, not one. verbose: errors carry their schema, for hints.
  allErrors: true,
  verbose: true,
  strict: true,
  strictTypes: false,
  strictRequired: false,
  allowUnionTypes: true,
  // A test checks the schemas against the meta-schema; doing it on every run would cost ~80 ms.
  validateSchema: false,
};

const require = createRequire(import.meta.url);
/** Standalone validators written by the build (`scripts/compile-schemas.mjs`); absent when run from source. */
const compiledPath = new URL("./compiled.cjs", import.meta.url);

let schemas: Record<string, object> | undefined;
let compiled: Record<string, ValidateFunction> | undefined;
let ajv: Ajv2020 | undefined;
const validators = new Map<SchemaName, SchemaValidator>();
const branches = new WeakMap<object, ValidateFunction>();

/** The validator of one schema, made once and reused for every document (compile once, run many). */
export function validatorFor(name: SchemaName): SchemaValidator {
  const cached = validators.get(name);
  if (cached) return cached;
  schemas ??= readSchemas();
  const schema = schemas[name] as Record<string, unknown> | undefined;
  if (!schema) throw new Error(`no schema named ${name}`);
  compiled ??= existsSync(compiledPath)
    ? (require(compiledPath.pathname) as Record<string, ValidateFunction>)
    : {};
  const fn = compiled[name] ?? runtimeAjv().getSchema(String(schema.$id));
  if (!fn) throw new Error(`schema ${name} did not compile`);
  const validator: SchemaValidator = {
    schema,
    validate: (value) => (fn(value) ? [] : [...(fn.errors ?? [])]),
    validateBranch(branch, value) {
      let branchFn = branches.get(branch);
      if (!branchFn) {
        // A branch is compiled with the root's $defs beside it, so its local $refs resolve. Only on the error path.
        const ref = branch.$ref;
        const instance = runtimeAjv();
        branchFn =
          (typeof ref === "string" && ref.startsWith("#")
            ? instance.getSchema(`${String(schema.$id)}${ref}`)
            : undefined) ?? instance.compile({ $defs: schema.$defs, ...branch });
        branches.set(branch, branchFn);
      }
      return branchFn(value) ? [] : [...(branchFn.errors ?? [])];
    },
  };
  validators.set(name, validator);
  return validator;
}

/** Ajv itself is loaded only when needed: from source, or on the error path to tell anyOf branches apart. */
function runtimeAjv(): Ajv2020 {
  if (ajv) return ajv;
  const { Ajv2020: AjvClass } = require("ajv/dist/2020.js") as typeof AjvModule;
  const addFormats = require("ajv-formats") as (instance: Ajv2020) => void;
  const instance = new AjvClass(ajvOptions);
  addFormats(instance);
  schemas ??= readSchemas();
  for (const schema of Object.values(schemas)) instance.addSchema(schema);
  ajv = instance;
  return instance;
}
