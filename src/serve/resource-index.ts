import { TargetError, type Page, type RemoteResource } from "../target/contract.js";

export const MAX_PAGE_SIZE = 500;

/**
 * The resources of one kind in memory, names kept sorted (by code unit, so the order never depends on a locale) for
 * paging. A cursor is the last name of the previous page, encoded: opaque to clients, stable while resources come
 * and go between pages.
 */
export class ResourceIndex {
  private readonly names: string[] = [];
  private readonly byName = new Map<string, RemoteResource>();

  get size(): number {
    return this.byName.size;
  }

  get(name: string): RemoteResource | undefined {
    return this.byName.get(name);
  }

  set(resource: RemoteResource): void {
    if (!this.byName.has(resource.name))
      this.names.splice(this.firstAfter(resource.name, true), 0, resource.name);
    this.byName.set(resource.name, resource);
  }

  delete(name: string): void {
    if (!this.byName.delete(name)) return;
    this.names.splice(this.firstAfter(name, true), 1);
  }

  page(limit: number, cursor: string | null): Page<RemoteResource> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new TargetError(400, "invalid_request", `limit must be a whole number from 1 (got ${limit})`);
    const size = Math.min(limit, MAX_PAGE_SIZE);
    const start = cursor === null ? 0 : this.firstAfter(decodeCursor(cursor), false);
    const names = this.names.slice(start, start + size);
    const items = names.map((name) => this.byName.get(name) as RemoteResource);
    const last = names[names.length - 1];
    const more = start + size < this.names.length;
    return { items, next_cursor: more && last !== undefined ? encodeCursor(last) : null };
  }

  /** The index of the first name >= `name` (inclusive) or > `name`. */
  private firstAfter(name: string, inclusive: boolean): number {
    let low = 0;
    let high = this.names.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const here = this.names[mid] as string;
      if (here < name || (!inclusive && here === name)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

function encodeCursor(name: string): string {
  return Buffer.from(JSON.stringify({ after: name }), "utf8").toString("base64url");
}

function decodeCursor(cursor: string): string {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof value.after === "string") return value.after;
  } catch {
    // Falls through to the error below: a cursor this server did not make.
  }
  throw new TargetError(
    400,
    "invalid_cursor",
    "cursor is not one this server returned; start again without it",
  );
}
