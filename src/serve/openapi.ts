import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";

/** The published contract; `clue serve` reads it from the package, beside dist/ and src/. */
export const CONTRACT_PATH = new URL("../../openapi/clue-target.openapi.yaml", import.meta.url);

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;
const ROOT_ID = "https://clue.invalid/openapi/clue-target.json";

/** One operation of the document, with what the server needs to route, authorise and validate a call to it. */
export interface Operation {
  operationId: string;
  method: string;
  /** The path template, as in the document: /api/config/{kind}/{name}. */
  path: string;
  /** False for operations with `security: []` (the token endpoint). */
  authenticated: boolean;
  /** The OAuth scope the operation needs, if any. */
  scope: string | null;
  match(pathname: string): Record<string, string> | undefined;
}

export interface RequestParts {
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** undefined: no body was sent. */
  body: unknown;
}

export interface Contract {
  operations: Operation[];
  /**
   * Checks a call against the operation's parameters and body schema. Returns the problems (each naming its field)
   * and the query with defaults applied and numbers converted.
   */
  validate(operationId: string, parts: RequestParts): { problems: string[]; query: Record<string, unknown> };
  /** Checks a value against one of `components.schemas`, e.g. an answer against `Resource`. */
  conforms(schemaName: string, value: unknown): string[];
}

interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface Validators {
  path: ValidateFunction;
  query: ValidateFunction;
  header: ValidateFunction;
  headerNames: Map<string, string>;
  body: ValidateFunction | undefined;
  bodyRequired: boolean;
}

type Doc = Record<string, unknown> & {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; parameters?: Record<string, Parameter> };
};

const require = createRequire(import.meta.url);

/** Reads the document and compiles its schemas once, at server start. */
export function loadContract(path: URL | string = CONTRACT_PATH): Contract {
  const doc = parse(readFileSync(path, "utf8")) as Doc;
  const options = {
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
  };
  // Parameters arrive as strings, so their validator converts ("50" → 50) and fills defaults; bodies are JSON and
  // must already have the right types.
  const forParams = withSchemas(new Ajv2020({ ...options, coerceTypes: true, useDefaults: true }), doc);
  const forBodies = withSchemas(new Ajv2020(options), doc);
  const operations: Operation[] = [];
  const validators = new Map<string, Validators>();
  for (const [template, item] of Object.entries(doc.paths)) {
    const shared = (item.parameters as Parameter[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const operationId = String(op.operationId);
      const params = [...shared, ...((op.parameters as Parameter[] | undefined) ?? [])].map((p) =>
        resolve(doc, p),
      );
      const security = (op.security ?? doc.security) as Record<string, string[]>[] | undefined;
      const requirement = security?.[0];
      operations.push({
        operationId,
        method: method.toUpperCase(),
        path: template,
        authenticated: requirement !== undefined,
        scope: requirement ? (Object.values(requirement)[0]?.[0] ?? null) : null,
        match: matcher(template),
      });
      validators.set(operationId, compileOperation(forParams, forBodies, params, op));
    }
  }
  return {
    operations,
    validate(operationId, parts) {
      const v = validators.get(operationId);
      if (!v) throw new Error(`no operation ${operationId} in the contract`);
      const problems: string[] = [];
      const query: Record<string, unknown> = { ...parts.query };
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(parts.headers))
        if (value !== undefined) headers[name.toLowerCase()] = value;
      check(v.path, { ...parts.path }, "path", problems);
      check(v.query, query, "query", problems);
      check(v.header, headers, "header", problems, v.headerNames);
      if (parts.body === undefined) {
        if (v.bodyRequired) problems.push("body: a JSON body is required");
      } else if (v.body) check(v.body, parts.body, "body", problems);
      return { problems, query };
    },
    conforms(schemaName, value) {
      const validate = forBodies.getSchema(`${ROOT_ID}#/$defs/${schemaName}`);
      if (!validate) throw new Error(`no schema ${schemaName} in the contract`);
      const problems: string[] = [];
      check(validate, value, "body", problems);
      return problems;
    },
  };
}

/** The component schemas under one root, so `#/components/schemas/X` refs resolve wherever they are compiled. */
function withSchemas(ajv: Ajv2020, doc: Doc): Ajv2020 {
  (require("ajv-formats") as (instance: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: ROOT_ID, $defs: rewriteRefs(doc.components.schemas) });
  return ajv;
}

function compileOperation(
  forParams: Ajv2020,
  forBodies: Ajv2020,
  params: Parameter[],
  op: Record<string, unknown>,
): Validators {
  const group = (where: Parameter["in"], extra: boolean, key = (name: string) => name) => {
    const own = params.filter((p) => p.in === where);
    return forParams.compile({
      type: "object",
      properties: Object.fromEntries(own.map((p) => [key(p.name), rewriteRefs(p.schema ?? {})])),
      required: own.filter((p) => p.required).map((p) => key(p.name)),
      additionalProperties: extra,
    });
  };
  const requestBody = op.requestBody as
    { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> } | undefined;
  const json = requestBody?.content["application/json"]?.schema;
  return {
    path: group("path", true),
    // Unknown query parameters are refused: `?limt=5` silently ignored would be a bug hard to see.
    query: group("query", false),
    header: group("header", true, (name) => name.toLowerCase()),
    headerNames: new Map(params.filter((p) => p.in === "header").map((p) => [p.name.toLowerCase(), p.name])),
    body: json ? forBodies.compile(rewriteRefs(json)) : undefined,
    bodyRequired: requestBody?.required === true,
  };
}

function check(
  validate: ValidateFunction,
  value: unknown,
  where: string,
  problems: string[],
  names?: Map<string, string>,
): void {
  if (validate(value)) return;
  for (const error of validate.errors ?? []) {
    const problem = describe(error, where, names);
    if (!problems.includes(problem)) problems.push(problem);
  }
}

/** An ajv error as a sentence that names the field: `body.changes.create must be >= 0`. */
function describe(error: ErrorObject, where: string, names?: Map<string, string>): string {
  const segments = error.instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const params = error.params as Record<string, unknown>;
  const field = (extra?: string) => {
    const all = extra === undefined ? segments : [...segments, extra];
    if (where === "body") return ["body", ...all].join(".");
    const [first, ...rest] = all;
    const name = first === undefined ? "" : (names?.get(first) ?? first);
    const label = where === "header" ? `header ${name}` : `${where} parameter ${name}`;
    return [label, ...rest].join(".");
  };
  switch (error.keyword) {
    case "required":
      return `${field(String(params.missingProperty))} is required`;
    case "additionalProperties":
      return where === "query"
        ? `unknown query parameter ${String(params.additionalProperty)}`
        : `${field(String(params.additionalProperty))} is not allowed here`;
    case "unevaluatedProperties":
      return `${field(String(params.unevaluatedProperty))} is not allowed here`;
    case "enum":
      return `${field()} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${field()} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${field()} ${error.message ?? "is not valid"}`;
  }
}

function resolve(doc: Doc, parameter: Parameter | { $ref: string }): Parameter {
  if ("$ref" in parameter) {
    const name = parameter.$ref.replace("#/components/parameters/", "");
    const found = doc.components.parameters?.[name];
    if (!found) throw new Error(`unresolved parameter ${parameter.$ref}`);
    return found;
  }
  return parameter;
}

function rewriteRefs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(rewriteRefs) as T;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string"
        ? v.replace("#/components/schemas/", `${ROOT_ID}#/$defs/`)
        : rewriteRefs(v),
    ]),
  ) as T;
}

/** `/api/config/{kind}/{name}` → a function giving `{kind, name}` for a matching path, decoded. */
export function matcher(template: string): (pathname: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = template
    .split("/")
    .map((segment) => {
      const param = /^\{(.+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(param[1] as string);
      return "([^/]+)";
    })
    .join("/");
  const pattern = new RegExp(`^${source}$`);
  return (pathname) => {
    const found = pattern.exec(pathname);
    if (!found) return undefined;
    const values: Record<string, string> = {};
    names.forEach((name, i) => (values[name] = decodeURIComponent(found[i + 1] as string)));
    return values;
  };
}
