import type { ErrorObject } from "ajv";
import type { Diagnostic, NodePath } from "../diagnostics/diagnostic.js";
import { formatPath } from "../diagnostics/diagnostic.js";
import type { ConfigDocument } from "../config/source-file.js";
import { diagnosticAt } from "../config/locate.js";
import { isSecretKey } from "../lint/secret-patterns.js";
import { didYouMean, joinWords, listOf } from "../util/did-you-mean.js";
import type { SchemaValidator } from "./validators.js";

type Schema = Record<string, unknown>;

/** Validates a document against its kind's schema; every error becomes a diagnostic at the offending node. */
/**
 * Validates a value that is not the document's own (an environment's override merged onto its resource): errors are
 * reported at `at` + their path in `doc`, and only those whose node `keep` accepts.
 */
export interface SchemaTarget {
  value: unknown;
  at: NodePath;
  keep(path: NodePath): boolean;
}

export function schemaDiagnostics(
  doc: ConfigDocument,
  validator: SchemaValidator,
  what: string,
  target?: SchemaTarget,
): Diagnostic[] {
  const value = target ? target.value : doc.value;
  let errors = validator.validate(value);
  if (errors.length === 0) return [];
  if (target) errors = errors.filter((e) => e.keyword !== "required" && target.keep(errorPath(e, value)));
  const kept = dropTypoTwins(resolveCombinators(errors, validator));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of kept) {
    const d = toDiagnostic(doc, error, validator.schema, what, value, target?.at ?? []);
    if (!d) continue;
    // allErrors can report one problem through several schema paths (a $ref used twice); say it once.
    const key = `${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/**
 * anyOf/oneOf errors list every branch's failures, which reads as noise. Each branch is validated again on its own
 * to tell which one the author meant: when exactly one fits the value's shape, its errors replace the combinator's;
 * otherwise the combinator's own error stays, with a readable message.
 */
function resolveCombinators(errors: ErrorObject[], validator: SchemaValidator, depth = 0): ErrorObject[] {
  const combinator = errors.find((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  if (!combinator || depth > 8) return errors.filter((e) => e.keyword !== "if");
  const at = combinator.instancePath;
  const branches = (combinator.parentSchema?.[combinator.keyword] ?? []) as Schema[];
  const perBranch = branches.map((b) =>
    validator.validateBranch(b, combinator.data).map((e) => ({ ...e, instancePath: at + e.instancePath })),
  );
  const signature = (e: ErrorObject) => `${e.keyword}|${e.instancePath}|${JSON.stringify(e.params)}`;
  const branchSignatures = new Set(perBranch.flat().map(signature));
  const index = errors.indexOf(combinator);
  // The combinator's branch errors precede it in ajv's list; an identical error elsewhere is not one of them.
  const rest = errors.filter(
    (e, i) =>
      i > index || (i < index && !(e.instancePath.startsWith(at) && branchSignatures.has(signature(e)))),
  );
  const remaining = rest.filter((e) => e !== combinator);
  const passing = (combinator.params as { passingSchemas?: number[] | null }).passingSchemas;
  const root = validator.schema;
  let replacement: ErrorObject[];
  if (Array.isArray(passing)) {
    // Point at the key of the last alternative given: that is the one to remove or keep.
    const last = branches[passing.at(-1) ?? -1]?.required;
    const focus = Array.isArray(last) && typeof last[0] === "string" ? last[0] : undefined;
    replacement = [
      {
        ...combinator,
        keyword: "x-combinator",
        params: { focus },
        message: `Give only one of ${joinWords(
          passing.map((i) => describe(branches[i], root)),
          "and",
        )}`,
      },
    ];
  } else {
    const fits = perBranch.flatMap((list, i) => (list.some((e) => isShapeMismatch(e, at)) ? [] : [i]));
    const fit = fits.length === 1 ? perBranch[fits[0] as number] : undefined;
    const discriminator = discriminatorError(combinator, branches, root);
    if (fit) {
      replacement = fit;
    } else if (discriminator) {
      replacement = [discriminator];
    } else {
      const options = branches.map((b) => describe(b, root));
      const requiredOnly = branches.every((b) => Array.isArray(b.required) && Object.keys(b).length === 1);
      const message = requiredOnly ? `Needs ${joinWords(options)}` : `Expected ${options.join(" or ")}`;
      replacement = [{ ...combinator, keyword: "x-combinator", message }];
    }
  }
  return resolveCombinators([...remaining, ...replacement], validator, depth + 1);
}

/**
 * A branch does not fit when the value has the wrong type for it, or a discriminator property (a `const` one level
 * down, like a target's `type: local`) says it is another branch.
 */
function isShapeMismatch(e: ErrorObject, at: string): boolean {
  if (e.instancePath === at) return e.keyword === "type" || e.keyword === "const" || e.keyword === "enum";
  const child = e.instancePath.startsWith(`${at}/`) && !e.instancePath.slice(at.length + 1).includes("/");
  return child && e.keyword === "const";
}

/**
 * When every branch is told apart by a `type: <const>` (like an environment's target), a value that fits none is
 * best reported as that property's wrong value, with the allowed ones and a did-you-mean.
 */
function discriminatorError(
  combinator: ErrorObject,
  branches: Schema[],
  root: Schema,
): ErrorObject | undefined {
  const consts = branches.map((b) => {
    const target = typeof b.$ref === "string" ? resolveRef(b.$ref, root) : b;
    return ((target?.properties as Schema | undefined)?.type as Schema | undefined)?.const;
  });
  if (consts.length === 0 || !consts.every((c) => typeof c === "string")) return undefined;
  const data = combinator.data as Schema | null;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return undefined;
  const description = `One of ${joinWords(consts.map((c) => JSON.stringify(c)))}.`;
  if (data.type === undefined) {
    return {
      ...combinator,
      keyword: "required",
      params: { missingProperty: "type" },
      parentSchema: { properties: { type: { description } } },
    };
  }
  if (consts.includes(data.type as string)) return undefined;
  return {
    ...combinator,
    keyword: "enum",
    instancePath: `${combinator.instancePath}/type`,
    params: { allowedValues: consts },
    data: data.type,
    parentSchema: { description },
  };
}

/** A branch of a combinator, in words: `"input"`, `a string`, `a secret reference ({ from_env: NAME } ...)`. */
function describe(branch: Schema | undefined, root: Schema): string {
  if (!branch) return "another shape";
  if (typeof branch.$ref === "string") {
    const target = resolveRef(branch.$ref, root);
    if (target?.title === "SecretRef")
      return 'a secret reference ({ from_env: NAME } or { vault: "path#key" })';
    return `a ${typeof target?.title === "string" ? target.title : "value"}`;
  }
  if (Array.isArray(branch.required) && branch.required.length > 0)
    return listOf(branch.required as unknown[], "and");
  if (typeof branch.type === "string") return article(branch.type);
  return "another shape";
}

function resolveRef(ref: string, root: Schema): Schema | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) node = (node as Schema | undefined)?.[part];
  return node as Schema | undefined;
}

/**
 * `chek:` in place of `check:` is one mistake, not two: when an unknown property is a likely typo of a missing
 * required one, only the unknown property is reported (its hint names the fix).
 */
function dropTypoTwins(errors: ErrorObject[]): ErrorObject[] {
  const typos = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== "additionalProperties") continue;
    const known = Object.keys((e.parentSchema?.properties ?? {}) as Schema);
    const guess = didYouMean((e.params as { additionalProperty: string }).additionalProperty, known);
    if (guess !== undefined) typos.add(`${e.instancePath}/${guess}`);
  }
  return errors.filter(
    (e) =>
      e.keyword !== "required" ||
      !typos.has(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`),
  );
}

/** The path of the node an error is about, down to the offending key for unknown properties and bad names. */
function errorPath(e: ErrorObject, value: unknown): NodePath {
  const path = toNodePath(e.instancePath, value);
  const key =
    (e.params as { additionalProperty?: string }).additionalProperty ??
    (e as ErrorObject & { propertyName?: string }).propertyName;
  return key === undefined ? path : [...path, key];
}

function toDiagnostic(
  doc: ConfigDocument,
  e: ErrorObject,
  root: Schema,
  what: string,
  value: unknown,
  at: NodePath,
): Diagnostic | undefined {
  const path = [...at, ...toNodePath(e.instancePath, value)];
  // Under a secret-looking key the value itself is never echoed: the message would leak it.
  const show = path.some((p) => typeof p === "string" && isSecretKey(p)) ? () => "the value" : showValue;
  const where = path.length === 0 ? what : `"${formatPath(path)}"`;
  const parent = e.parentSchema ?? {};
  const propertyName = (e as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    const keyPath = [...path, propertyName];
    return diagnosticAt(doc, keyPath, "schema/invalid", `Key "${propertyName}" in ${where} is not valid.`, {
      part: "key",
      hint:
        hintFrom(parent) ??
        "Names use letters, digits and underscores, and start with a letter or underscore.",
    });
  }
  switch (e.keyword) {
    case "propertyNames":
      return undefined; // reported through the inner error, which names the key
    case "additionalProperties": {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((parent.properties ?? {}) as Schema);
      const guess = didYouMean(prop, known);
      return diagnosticAt(
        doc,
        [...path, prop],
        "schema/unknown-property",
        `Unknown property "${prop}" in ${where}.`,
        {
          part: "key",
          hint: guess
            ? `Did you mean "${guess}"?`
            : known.length > 0
              ? `Known properties: ${known.join(", ")}.`
              : undefined,
        },
      );
    }
    case "required": {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      const description = ((parent.properties as Schema | undefined)?.[prop] as Schema | undefined)
        ?.description;
      return diagnosticAt(doc, path, "schema/required", `Missing required property "${prop}" in ${where}.`, {
        part: "key",
        hint:
          typeof description === "string" ? `Add "${prop}": ${lowerFirst(description)}` : `Add "${prop}".`,
      });
    }
    case "type": {
      const expected = (e.params as { type: string | string[] }).type;
      const list = Array.isArray(expected) ? expected : [expected];
      return diagnosticAt(
        doc,
        path,
        "schema/type",
        `Expected ${list.map(article).join(" or ")} in ${where}, found ${article(jsonType(e.data))}.`,
        { hint: hintFrom(parent) },
      );
    }
    case "enum": {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const guess = typeof e.data === "string" ? didYouMean(e.data, allowed.map(String)) : undefined;
      return diagnosticAt(
        doc,
        path,
        "schema/enum",
        `${show(e.data)} is not allowed in ${where}; expected ${listOf(allowed)}.`,
        {
          hint: guess ? `Did you mean "${guess}"?` : hintFrom(parent),
        },
      );
    }
    case "const": {
      const allowed = (e.params as { allowedValue: unknown }).allowedValue;
      return diagnosticAt(
        doc,
        path,
        "schema/enum",
        `${show(e.data)} is not allowed in ${where}; expected ${show(allowed)}.`,
        {
          hint: hintFrom(parent),
        },
      );
    }
    case "not": {
      const banned = ((parent.not as Schema | undefined)?.required ?? []) as string[];
      const prop = banned[0];
      if (prop !== undefined) {
        return diagnosticAt(
          doc,
          [...path, prop],
          "schema/invalid",
          `Property "${prop}" is not allowed here.`,
          {
            part: "key",
            hint: hintFrom(parent),
          },
        );
      }
      break;
    }
    case "pattern":
      return diagnosticAt(
        doc,
        path,
        "schema/invalid",
        `${show(e.data)} in ${where} does not match the expected form.`,
        {
          hint: hintFrom(parent) ?? `It must match ${String((e.params as { pattern: string }).pattern)}.`,
        },
      );
  }
  if (e.keyword === "x-combinator") {
    const focus = (e.params as { focus?: string }).focus;
    return diagnosticAt(
      doc,
      focus === undefined ? path : [...path, focus],
      "schema/invalid",
      `${e.message ?? "Invalid"} in ${where}.`,
      {
        part: "key",
        hint: hintFrom(parent),
      },
    );
  }
  return diagnosticAt(
    doc,
    path,
    "schema/invalid",
    `${capitalize(e.message ?? "is invalid")} in ${where}${found(e, show)}.`,
    {
      hint: hintFrom(parent),
    },
  );
}

function found(e: ErrorObject, show: (value: unknown) => string): string {
  const numeric = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format"];
  return numeric.includes(e.keyword) ? `, found ${show(e.data)}` : "";
}

function hintFrom(schema: Schema): string | undefined {
  return typeof schema.description === "string" ? schema.description : undefined;
}

/** JSON Pointer → node path, with array indexes as numbers (found by walking the value). */
export function toNodePath(pointer: string, value: unknown): NodePath {
  if (pointer === "") return [];
  const path: (string | number)[] = [];
  let node = value;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(node)) {
      const index = Number(segment);
      path.push(index);
      node = node[index] as unknown;
    } else {
      path.push(segment);
      node = node !== null && typeof node === "object" ? (node as Schema)[segment] : undefined;
    }
  }
  return path;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function article(type: string): string {
  const words: Record<string, string> = {
    array: "a list",
    object: "a mapping",
    string: "a string",
    number: "a number",
    integer: "an integer",
    boolean: "a boolean (true or false)",
    null: "null",
  };
  return words[type] ?? type;
}

function showValue(value: unknown): string {
  if (typeof value === "string")
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value !== null && typeof value === "object") return Array.isArray(value) ? "a list" : "a mapping";
  return String(value);
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
