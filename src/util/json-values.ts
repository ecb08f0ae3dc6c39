/**
 * JSON values of any depth, handled without recursion. The server takes bodies no deeper than MAX_BODY_DEPTH, but a
 * store written by an older version (which had no limit) can hold a resource nested thousands of levels deep:
 * structuredClone, JSON.stringify and recursive walks all run out of stack on such a value, and one bad resource
 * must not make its whole kind unlistable. So every walk here keeps its own stack on the heap.
 */

/** How deep a request body may nest (the body object is level 1). Config files nest at most 64 levels (MAX_DEPTH). */
export const MAX_BODY_DEPTH = 100;

type Container = Record<string, unknown> | unknown[];

function isContainer(value: unknown): value is Container {
  return value !== null && typeof value === "object";
}

/**
 * The top-level member under which `value` first nests deeper than `limit` levels (`spec`; "" when the value itself
 * is the deep one), or undefined when it does not. Stops at the first level past the limit, so a hostile value costs
 * no more than reading it did.
 */
export function tooDeep(value: unknown, limit: number): string | undefined {
  if (!isContainer(value)) return undefined;
  const stack: { value: Container; depth: number; field: string }[] = [{ value, depth: 1, field: "" }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (top.depth > limit) return top.field;
    for (const [key, child] of Object.entries(top.value))
      if (isContainer(child))
        stack.push({ value: child, depth: top.depth + 1, field: top.depth === 1 ? key : top.field });
  }
  return undefined;
}

/** A deep copy of JSON data (objects, arrays, strings, numbers, booleans, null), at any depth. */
export function copyJson<T>(value: T): T {
  if (!isContainer(value)) return value;
  const copy = emptyLike(value);
  const stack: [Container, Container][] = [[value, copy]];
  for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
    const [from, to] = pair;
    for (const [key, child] of Object.entries(from)) {
      const made = isContainer(child) ? emptyLike(child) : child;
      define(to, key, made);
      if (isContainer(child)) stack.push([child, made as Container]);
    }
  }
  return copy as T;
}

/**
 * JSON.stringify, and the same text when the value is nested too deep for it. The native one is kept for the usual
 * case: it is much faster, and it is what the answer would have been anyway.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return stringifyDeep(value);
  }
}

/** JSON.stringify's output for JSON data (objects in key order, undefined members left out), with a heap stack. */
function stringifyDeep(value: unknown): string {
  const out: string[] = [];
  // A frame is an open object or array: the entries still to write.
  const stack: { close: string; entries: [string | undefined, unknown][]; next: number }[] = [];
  const open = (v: unknown, key: string | undefined) => {
    if (key !== undefined) out.push(`${JSON.stringify(key)}:`);
    if (!isContainer(v)) return void out.push(JSON.stringify(v) ?? "null");
    const array = Array.isArray(v);
    out.push(array ? "[" : "{");
    const entries: [string | undefined, unknown][] = array
      ? v.map((item) => [undefined, item === undefined || typeof item === "function" ? null : item])
      : Object.entries(v).filter(([, item]) => item !== undefined && typeof item !== "function");
    stack.push({ close: array ? "]" : "}", entries, next: 0 });
  };
  open(value, undefined);
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    const entry = frame.entries[frame.next];
    if (entry === undefined) {
      out.push(frame.close);
      stack.pop();
      continue;
    }
    if (frame.next > 0) out.push(",");
    frame.next++;
    open(entry[1], entry[0]);
  }
  return out.join("");
}

function emptyLike(value: Container): Container {
  return Array.isArray(value) ? [] : {};
}

/** A key like `__proto__` (JSON.parse makes it an own property) must stay data, never become a prototype. */
function define(target: Container, key: string, value: unknown): void {
  if (Array.isArray(target)) target[Number(key)] = value;
  else if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}
