/** Turning one JSON text into a record, shared by the JSON Lines and JSON array readers. */

export type JsonObjectResult = { ok: true; record: Record<string, unknown> } | { ok: false; reason: string };

/**
 * JSON.parse makes `__proto__` an own data property (no pollution by itself), but a later `Object.assign` or
 * `obj[key] = …` copy in the pipeline would turn it into a prototype change. Such keys are dropped at every depth,
 * as the CSV reader drops a `__proto__` column. The reviver is slow, so it only runs when the text mentions one.
 */
function dropProto(key: string, value: unknown): unknown {
  return key === "__proto__" ? undefined : value;
}

export function parseJsonObject(text: string): JsonObjectResult {
  let value: unknown;
  try {
    value = text.includes("__proto__") ? JSON.parse(text, dropProto) : JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return { ok: true, record: value as Record<string, unknown> };
  }
  return { ok: false, reason: `not a JSON object (found ${describe(value)})` };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
