import type { CluedinObject, CluedinObjectType, CompiledResource } from "../../cluedin/model.js";
import { specHash } from "../../deploy/desired.js";
const address = (kind: string, name: string) => `${kind}/${name}`;
import {
  TargetError,
  type AuditEntry,
  type CallMeta,
  type ConfigStore,
  type Lock,
  type Page,
  type Release,
  type ReleaseInput,
  type RemoteResource,
  type ResourceWrite,
  type RestKind,
} from "../contract.js";
import type { CluedinClient } from "./client.js";
import { appendRelease, ledgerReleases } from "./ledger.js";
import { settleEntityTypes } from "../../deploy/compiled.js";
import { etagOf, groupResources, remoteResource, type Group } from "./resources.js";
import { ALL, readSnapshot, type Snapshot } from "./snapshot.js";
import { catalogueOf, type Catalogue } from "./wire.js";
import { writeResource } from "./writer.js";

/** What plan and apply print once for a cluedin target: the platform cannot lock, and what protects instead. */
export const NO_LOCKS_NOTICE =
  "the CluedIn platform has no locks: clue re-reads each resource right before writing it and stops (412) if it changed since the plan; two applies at once are not otherwise kept apart";

/**
 * The `cluedin` target as a ConfigStore (ISSUE-11 design, section 4). A clue resource is the set of platform
 * objects whose description carries its marker (plus the entity types of its vocabularies); its spec is a
 * CompiledResource in platform terms. Reads are paged lists; a write re-reads that resource's objects first and
 * refuses (412) when their etag moved since the plan, then writes object by object. No locks, no idempotency keys
 * on the platform: a create whose answer was lost is looked for by marker before it is sent again.
 */
export class CluedinStore implements ConfigStore {
  private snapshot: Promise<Snapshot> | undefined;
  private catalogue: Promise<Catalogue> | undefined;

  constructor(
    private readonly client: CluedinClient,
    private readonly maxAttempts: number,
  ) {}

  private readonly loadCatalogue = (): Promise<Catalogue> =>
    (this.catalogue ??= this.client
      .request("GET", "/api/deduplication/projects/rules/matchingfunctions")
      .then((r) => catalogueOf(r.body)));

  private read(collections = ALL): Promise<Snapshot> {
    return readSnapshot(this.client, this.loadCatalogue, collections);
  }

  /** One read of the platform serves every kind's list in a plan; a write forgets it. */
  private cached(): Promise<Snapshot> {
    return (this.snapshot ??= this.read());
  }

  async list(
    kind: RestKind,
    options: { limit: number; cursor: string | null },
  ): Promise<Page<RemoteResource>> {
    // Everything fits one page: the platform's own paging happened while reading.
    if (options.cursor !== null) return { items: [], next_cursor: null };
    const groups = groupResources(await this.cached());
    return {
      items: [...groups.values()].filter((g) => g.kind === kind).map(remoteResource),
      next_cursor: null,
    };
  }

  async get(kind: RestKind, name: string): Promise<RemoteResource | undefined> {
    const group = groupResources(await this.read()).get(address(kind, name));
    return group ? remoteResource(group) : undefined;
  }

  /**
   * Re-reads the resource's objects, refuses a stale If-Match (or an If-None-Match: * on a resource that exists)
   * with 412, then writes. The marker's hash is that of the spec as it will read back (entity types as the platform
   * holds them), so the next plan finds no drift.
   */
  async put(
    kind: RestKind,
    name: string,
    write: ResourceWrite,
    precondition: { ifMatch?: string; ifNoneMatch?: "*" },
    _meta: CallMeta,
  ): Promise<{ status: 200 | 201; resource: RemoteResource }> {
    const spec = write.spec as unknown as CompiledResource;
    if (!Array.isArray(spec.objects))
      throw new TargetError(
        400,
        "not_compiled",
        `${address(kind, name)}: a cluedin target takes compiled resources`,
      );
    const types = new Set<CluedinObjectType>(spec.objects.map((o) => o.type));
    const { group, snapshot } = await this.fresh(kind, name, types);
    this.check(kind, name, group, precondition);
    const settled = settleEntityTypes(
      spec,
      new Map([...snapshot.entityTypes].map(([code, p]) => [code, p.object])),
    );
    const resource = address(kind, name);
    await writeResource(
      {
        client: this.client,
        catalogue: this.loadCatalogue,
        entityTypes: new Set(snapshot.entityTypes.keys()),
        marker: { resource, specHash: specHash(settled) },
        relist: (type) => this.relist(kind, name, type),
        maxAttempts: this.maxAttempts,
      },
      group?.placed ?? [],
      settled.objects,
    );
    this.snapshot = undefined;
    const after = await this.get(kind, name);
    if (!after)
      throw new TargetError(0, "not_written", `${resource}: written, but the platform does not list it`);
    return { status: group ? 200 : 201, resource: after };
  }

  async delete(
    kind: RestKind,
    name: string,
    precondition: { ifMatch?: string },
    _meta: CallMeta,
  ): Promise<void> {
    const { group } = await this.fresh(kind, name, ALL);
    if (!group) throw new TargetError(404, "not_found", `${address(kind, name)} is not on the platform`);
    this.check(kind, name, group, precondition);
    await writeResource(
      {
        client: this.client,
        catalogue: this.loadCatalogue,
        entityTypes: new Set(),
        marker: { resource: address(kind, name), specHash: "" },
        relist: () => Promise.resolve([]),
        maxAttempts: this.maxAttempts,
      },
      group.placed,
      [],
    );
    this.snapshot = undefined;
  }

  /** The platform has no locks: nothing is taken, and the CLI says so (NO_LOCKS_NOTICE). */
  acquireLock(env: string, request: { holder: string; reason?: string }, _meta: CallMeta): Promise<Lock> {
    return Promise.resolve({
      lock_id: "none",
      env,
      holder: request.holder,
      acquired_at: new Date().toISOString(),
      ...(request.reason !== undefined ? { reason: request.reason } : {}),
    });
  }

  releaseLock(): Promise<void> {
    return Promise.resolve();
  }

  async listReleases(env: string): Promise<Release[]> {
    const snapshot = await this.read(new Set(["rule"]));
    return ledgerReleases(snapshot.ledgers)
      .filter((r) => r.env === env)
      .map((r) => this.cleanRelease(r));
  }

  createRelease(release: ReleaseInput, _meta: CallMeta): Promise<Release> {
    return appendRelease(
      this.client,
      async () => (await this.read(new Set(["rule"]))).ledgers,
      release,
      this.maxAttempts,
    );
  }

  /** The platform's audit log is per object and unpublished in shape; clue keeps none of its own there. */
  audit(_filter: { action?: string; since?: string }): Promise<AuditEntry[]> {
    return Promise.resolve([]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * The platform's records affected by a rule (`GET /api/v1/rules/rule/{id}/affectedrecords`, its `total`): what an
   * update or delete of that resource's rules makes the platform reprocess. Undefined when it holds no rules.
   */
  async affectedRecords(kind: RestKind, name: string): Promise<number | undefined> {
    const group = groupResources(await this.cached()).get(address(kind, name));
    const rules = group?.placed.filter((p) => p.object.type === "rule") ?? [];
    if (rules.length === 0) return undefined;
    let total = 0;
    for (const rule of rules) {
      const response = await this.client.request(
        "GET",
        `/api/v1/rules/rule/${encodeURIComponent(rule.id)}/affectedrecords?page=0&take=1`,
      );
      const t = (response.body as { total?: unknown } | undefined)?.total;
      if (typeof t === "number") total += t;
    }
    return total;
  }

  /** The entity type codes on the platform, with what it holds for each (plans settle on them). */
  async entityTypes(): Promise<Map<string, CluedinObject>> {
    const snapshot = await this.cached();
    return new Map([...snapshot.entityTypes].map(([code, p]) => [code, p.object]));
  }

  async objects(): Promise<{ managed: CluedinObject[]; unmanaged: number }> {
    const snapshot = await this.cached();
    const managed = [...groupResources(snapshot).values()].flatMap((g) => g.placed.map((p) => p.object));
    return { managed, unmanaged: snapshot.objects.filter((p) => !p.marker).length };
  }

  private async fresh(
    kind: RestKind,
    name: string,
    types: ReadonlySet<CluedinObjectType>,
  ): Promise<{ group: Group | undefined; snapshot: Snapshot }> {
    // What the resource holds now may be of types the new spec no longer has: read the resource's old types too.
    const before = groupResources(await this.cached()).get(address(kind, name));
    const collections = new Set([...types, ...(before?.placed.map((p) => p.object.type) ?? [])]);
    if (collections.has("vocabulary-key")) collections.add("vocabulary");
    const snapshot = await this.read(collections);
    return { group: groupResources(snapshot).get(address(kind, name)), snapshot };
  }

  private check(
    kind: RestKind,
    name: string,
    group: Group | undefined,
    precondition: { ifMatch?: string; ifNoneMatch?: "*" },
  ): void {
    const where = address(kind, name);
    if (precondition.ifNoneMatch === "*" && group)
      throw new TargetError(412, "exists", `${where} appeared on the platform after the plan was made`);
    if (precondition.ifMatch !== undefined) {
      if (!group)
        throw new TargetError(412, "gone", `${where} was removed from the platform after the plan was made`);
      if (etagOf(group.placed) !== precondition.ifMatch)
        throw new TargetError(412, "changed", `${where} changed on the platform after the plan was made`);
    }
  }

  private async relist(kind: RestKind, name: string, type: CluedinObjectType) {
    const collections = new Set<CluedinObjectType>([type]);
    if (type === "vocabulary-key") collections.add("vocabulary");
    const group = groupResources(await this.read(collections)).get(address(kind, name));
    return group?.placed.filter((p) => p.object.type === type) ?? [];
  }

  private cleanRelease(r: Release): Release {
    const text = (v: string | null | undefined) => (typeof v === "string" ? this.client.fromServer(v) : v);
    return {
      ...r,
      actor: text(r.actor) ?? "",
      ...(r.message !== undefined ? { message: text(r.message) ?? "" } : {}),
    };
  }
}
