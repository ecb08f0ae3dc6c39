import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { REST_ENUMS, type RestEnum } from "../../cluedin/enums.js";

/** The trimmed published document (scripts/extract-cluedin-schemas.mjs made it); read from the package. */
export const EXTRACT_PATH = new URL("../../../openapi/cluedin/webapi.extract.json", import.meta.url);

const ROOT_ID = "https://clue.invalid/openapi/cluedin-webapi.json";
const require = createRequire(import.meta.url);

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface ExtractOperation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
}

interface Extract {
  paths: Record<string, Record<string, ExtractOperation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

/** One field the platform would refuse: ASP.NET's ValidationProblemDetails lists them as `errors[field]`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** What the stand-in knows of one published operation. */
export interface PublishedOperation {
  method: string;
  /** The WebApi path template, e.g. `/api/v1/rules/{id}`. */
  path: string;
  /** The RACI policy its summary names (`management.rulebuilder`), or null for "any signed-in user". */
  policy: string | null;
  /** The request body's schema name, or null when it takes none. */
  bodySchema: string | null;
  /** The declared query parameters' names, as the document spells them. */
  queryNames: string[];
  /** The body against its schema; [] when it conforms. */
  checkBody(body: unknown): FieldProblem[];
  /** The query against the declared parameters: defaults filled, numbers and booleans converted in place. */
  checkQuery(query: Record<string, unknown>): FieldProblem[];
}

/** Reads the extract and compiles its schemas once, at start. */
export function loadPublishedOperations(path: URL | string = EXTRACT_PATH): PublishedOperation[] {
  const doc = JSON.parse(readFileSync(path, "utf8")) as Extract;
  const defs = Object.fromEntries(
    Object.entries(doc.components.schemas).map(([name, schema]) => [name, toJsonSchema(name, schema)]),
  );
  const options = { allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true };
  const bodies = withDefs(new Ajv2020(options), defs);
  const params = withDefs(new Ajv2020({ ...options, coerceTypes: "array", useDefaults: true }), defs);
  const operations: PublishedOperation[] = [];
  for (const [template, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const ref = op.requestBody?.content["application/json"]?.schema.$ref;
      const bodySchema = typeof ref === "string" ? ref.replace("#/components/schemas/", "") : null;
      const body =
        bodySchema === null ? undefined : bodies.compile({ $ref: `${ROOT_ID}#/$defs/${bodySchema}` });
      const declared = (op.parameters ?? []).filter((p) => p.in === "query");
      const query = params.compile({
        type: "object",
        properties: Object.fromEntries(declared.map((p) => [p.name, convert(p.schema ?? {})])),
      });
      operations.push({
        method: method.toUpperCase(),
        path: template,
        policy: /RACI:([\w.]+):/.exec(op.summary ?? "")?.[1] ?? null,
        bodySchema,
        queryNames: declared.map((p) => p.name),
        checkBody: (value) => {
          if (!body) return [];
          if (value === undefined) return [{ field: "", message: "A non-empty request body is required." }];
          return body(value) ? [] : problems(body);
        },
        checkQuery: (value) => (query(value) ? [] : problems(query)),
      });
    }
  return operations;
}

function withDefs(ajv: Ajv2020, defs: Record<string, unknown>): Ajv2020 {
  (require("ajv-formats") as (instance: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: ROOT_ID, $defs: defs });
  return ajv;
}

/**
 * OpenAPI 3.0 → JSON Schema 2020-12: `nullable` becomes a `null` type; a `$ref` points into the root's `$defs`; an
 * integer enum whose names clue knows also takes those names, since the platform's names are what people write
 * and the integer mapping is unpublished (src/cluedin/enums.ts).
 */
function toJsonSchema(name: string, schema: Record<string, unknown>): Record<string, unknown> {
  const table = (REST_ENUMS as Record<string, RestEnum | undefined>)[name.split(".").pop() ?? ""];
  const converted = convert(schema);
  if (!table || !Array.isArray(schema.enum)) return converted;
  return { anyOf: [converted, { type: "string", enum: [...table.names] }] };
}

function convert(value: unknown): Record<string, unknown> {
  return convertValue(value) as Record<string, unknown>;
}

function convertValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertValue);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(source)) {
    if (key === "nullable" || key.startsWith("x-")) continue;
    if (key === "$ref" && typeof v === "string")
      out.$ref = v.replace("#/components/schemas/", `${ROOT_ID}#/$defs/`);
    else if (key === "properties" || key === "$defs")
      out[key] = Object.fromEntries(Object.entries(v as object).map(([k, s]) => [k, convertValue(s)]));
    else out[key] = convertValue(v);
  }
  if (source.nullable === true && typeof source.type === "string") out.type = [source.type, "null"];
  return out;
}

function problems(validate: ValidateFunction): FieldProblem[] {
  const found: FieldProblem[] = [];
  for (const error of validate.errors ?? []) {
    // anyOf's own error repeats what its branches said.
    if (error.keyword === "anyOf") continue;
    const problem = describe(error);
    if (!found.some((p) => p.field === problem.field && p.message === problem.message)) found.push(problem);
  }
  return found;
}

/** `/rules/0/name` → `rules[0].name`, the way ASP.NET names a field in `errors`. */
function describe(error: ErrorObject): FieldProblem {
  const params = error.params as Record<string, unknown>;
  const segments = error.instancePath.split("/").slice(1);
  if (error.keyword === "required") segments.push(String(params.missingProperty));
  if (error.keyword === "additionalProperties") segments.push(String(params.additionalProperty));
  const field = segments
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path ? `${path}.${s}` : s), "");
  switch (error.keyword) {
    case "required":
      return { field, message: `The ${field} field is required.` };
    case "additionalProperties":
      return { field, message: `${field} is not a property of this model.` };
    case "enum":
      return {
        field,
        message: `The value is not one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}.`,
      };
    default:
      return { field, message: `The value ${error.message ?? "is not valid"}.` };
  }
}
