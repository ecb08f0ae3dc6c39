import { withMarker, type Marker } from "../../cluedin/marker.js";
import {
  objectAddress,
  type CluedinObject,
  type DedupProjectObject,
  type RuleObject,
  type StreamObject,
  type VocabularyKeyObject,
} from "../../cluedin/model.js";
import { canonicalJson } from "../../util/canonical-json.js";
import { TargetError } from "../contract.js";
import { backoffMs } from "../http-common.js";
import type { CluedinClient } from "./client.js";
import { WRITE_ORDER } from "../../deploy/compiled.js";
import type { Placed } from "./snapshot.js";
import {
  childIds,
  childRulesBody,
  conditionBody,
  criteriaBody,
  toInt,
  type Catalogue,
  type Json,
} from "./wire.js";

const enc = encodeURIComponent;

export interface WriteContext {
  client: CluedinClient;
  catalogue: () => Promise<Catalogue>;
  /** The platform's entity type codes (clue creates only the missing ones). */
  entityTypes: ReadonlySet<string>;
  marker: Marker;
  /** Re-reads the platform's objects of one type marked for this resource: where a create whose answer was lost is looked for. */
  relist: (type: CluedinObject["type"]) => Promise<Placed[]>;
  maxAttempts: number;
}

/**
 * Makes one resource's objects on the platform what `desired` says: creates and updates in write order (entity
 * type, vocabulary, keys, rules, dedup projects, streams), then deletes what is no longer wanted in reverse order.
 * `current` holds only objects carrying this resource's marker, so nothing unmarked is ever changed or deleted;
 * entity types are only created. Every object written carries the marker with the resource's new spec hash.
 */
export async function writeResource(
  ctx: WriteContext,
  current: Placed[],
  desired: CluedinObject[],
): Promise<void> {
  const byAddress = new Map(current.map((p) => [objectAddress(p.object), p]));
  const vocabularyIds = new Map(
    current.flatMap((p) => (p.object.type === "vocabulary" ? [[p.object.key, p.id] as const] : [])),
  );
  const rank = (o: CluedinObject) => WRITE_ORDER.indexOf(o.type);
  for (const want of [...desired].sort((a, b) => rank(a) - rank(b))) {
    const have = byAddress.get(objectAddress(want));
    const id = await writeObject(ctx, want, have, vocabularyIds);
    if (want.type === "vocabulary") vocabularyIds.set(want.key, id);
  }
  const wanted = new Set(desired.map(objectAddress));
  const gone = current
    .filter((p) => p.object.type !== "entity-type" && p.marker && !wanted.has(objectAddress(p.object)))
    .sort((a, b) => rank(b.object) - rank(a.object));
  for (const p of gone) await deleteObject(ctx.client, p);
}

/** Whether an object must be written: its body differs, or it carries another resource's or spec's marker. */
function changed(ctx: WriteContext, want: CluedinObject, have: Placed): boolean {
  return (
    canonicalJson(want) !== canonicalJson(have.object) ||
    have.marker?.specHash !== ctx.marker.specHash ||
    have.marker.resource !== ctx.marker.resource
  );
}

async function writeObject(
  ctx: WriteContext,
  want: CluedinObject,
  have: Placed | undefined,
  vocabularyIds: ReadonlyMap<string, string>,
): Promise<string> {
  const { client } = ctx;
  const mark = (description: string) => withMarker(description, ctx.marker);
  switch (want.type) {
    case "entity-type": {
      if (ctx.entityTypes.has(want.key)) return have?.id ?? "";
      return create(
        ctx,
        want,
        () => client.request("POST", "/api/entitytypeinfo", { body: want.body, expect: [409] }),
        {
          conflictMeansThere: true,
        },
      );
    }
    case "vocabulary": {
      const body = { ...want.body, description: mark(want.body.description) };
      if (!have)
        return create(ctx, want, () =>
          client.request("POST", "/api/v1/vocabs/vocabulary", { body, expect: [409] }),
        );
      if (changed(ctx, want, have))
        await client.request("PUT", "/api/v1/vocabs/vocabulary", {
          body: { vocabularyId: have.id, ...body },
        });
      return have.id;
    }
    case "vocabulary-key":
      return writeKey(ctx, want, have, vocabularyIds);
    case "rule":
      return writeRule(ctx, want, have);
    case "dedup-project":
      return writeProject(ctx, want, have);
    case "stream":
      return writeStream(ctx, want, have);
  }
}

async function writeKey(
  ctx: WriteContext,
  want: VocabularyKeyObject,
  have: Placed | undefined,
  vocabularyIds: ReadonlyMap<string, string>,
): Promise<string> {
  const vocabularyId = have?.parentId ?? vocabularyIds.get(want.vocabulary);
  if (vocabularyId === undefined)
    throw new TargetError(
      0,
      "no_vocabulary",
      `the key ${want.key} belongs to vocabulary "${want.vocabulary}", which this resource does not hold`,
    );
  const { name, ...rest } = want.body;
  const fields = {
    ...rest,
    dataType: toInt("VocabularyKeyDataType", want.body.dataType),
    storage: toInt("VocabularyKeyStorage", want.body.storage),
    description: withMarker(want.body.description, ctx.marker),
  };
  if (!have)
    return create(ctx, want, () =>
      ctx.client.request("POST", "/api/v1/vocabs/key", {
        body: { vocabularyId, name, ...fields },
        expect: [409],
      }),
    );
  if (changed(ctx, want, have))
    await ctx.client.request("PUT", "/api/v1/vocabs/key", {
      body: { vocabularyKeyId: have.id, vocabularyId, ...fields },
    });
  return have.id;
}

async function writeRule(ctx: WriteContext, want: RuleObject, have: Placed | undefined): Promise<string> {
  const { client } = ctx;
  const body = {
    name: want.body.name,
    description: withMarker(want.body.description, ctx.marker),
    scope: toInt("ProcessingRuleScope", want.body.scope),
    condition: conditionBody(want.body.condition),
  };
  let id: string;
  let active: boolean;
  if (!have) {
    // Created inactive, then activated: a rule is never live with half of what it should be.
    id = await create(ctx, want, () =>
      client.request("POST", "/api/v1/rules", {
        body: { ...body, isActive: false, rules: childRulesBody(want.body.rules) },
      }),
    );
    active = false;
  } else {
    id = have.id;
    active = have.object.type === "rule" && have.object.body.isActive;
    if (changed(ctx, want, have))
      await client.request("PUT", "/api/v1/rules", {
        body: {
          id,
          ...body,
          isActive: active,
          rules: childRulesBody(want.body.rules, childIds(have.raw.rules)),
        },
      });
  }
  if (active !== want.body.isActive)
    await client.request(
      "POST",
      `/api/v1/rules/${enc(id)}/${want.body.isActive ? "activate" : "deactivate"}`,
      {
        idempotent: true,
      },
    );
  return id;
}

async function writeProject(
  ctx: WriteContext,
  want: DedupProjectObject,
  have: Placed | undefined,
): Promise<string> {
  const { client } = ctx;
  const catalogue = await ctx.catalogue();
  const body = {
    name: want.body.name,
    description: withMarker(want.body.description, ctx.marker),
    deduplicationScopeFilterType: toInt(
      "DeduplicationScopeFilterType",
      want.body.deduplicationScopeFilterType,
    ),
    deduplicationScopeFilter: conditionBody(want.body.deduplicationScopeFilter),
  };
  const id = have
    ? have.id
    : await create(ctx, want, () => client.request("POST", "/api/deduplication/projects", { body }));
  if (
    have &&
    changed(
      ctx,
      { ...want, rules: [] },
      { ...have, object: { ...have.object, rules: [] } as DedupProjectObject },
    )
  )
    await client.request("PUT", `/api/deduplication/projects/${enc(id)}`, { body });
  const base = `/api/deduplication/projects/${enc(id)}/rules`;
  const before = have?.object.type === "dedup-project" ? have.object.rules : [];
  const rawRules = have?.children ?? [];
  for (const rule of want.rules) {
    const old = before.find((r) => r.name === rule.name);
    const found = rawRules.find((r) => r.name === rule.name)?.id;
    const oldId = typeof found === "string" ? found : "";
    const ruleBody = { name: rule.name, matchingCriteria: criteriaBody(rule.matchingCriteria, catalogue) };
    let ruleId = oldId;
    if (!old) {
      ruleId = await createChild(
        ctx,
        () => client.request("POST", base, { body: ruleBody }),
        async () => {
          const rules = await client.listAll(base);
          return rules.find((r) => r.name === rule.name)?.id as string | undefined;
        },
      );
    } else if (canonicalJson(old.matchingCriteria) !== canonicalJson(rule.matchingCriteria))
      await client.request("PUT", `${base}/${enc(ruleId)}`, { body: ruleBody });
    // A new rule starts active on the platform.
    const isActive = old ? old.isActive : true;
    if (isActive !== rule.isActive)
      await client.request("PUT", `${base}/${enc(ruleId)}/${rule.isActive ? "activate" : "deactivate"}`);
  }
  for (const old of rawRules.filter((r) => !want.rules.some((w) => w.name === r.name)))
    await client.request("DELETE", `${base}/${enc(typeof old.id === "string" ? old.id : "")}`, {
      expect: [404],
    });
  return id;
}

async function writeStream(ctx: WriteContext, want: StreamObject, have: Placed | undefined): Promise<string> {
  const { client } = ctx;
  const c = want.connector;
  const mode = toInt("StreamMode", c.mode);
  const edges = { exportIncomingEdges: c.exportIncomingEdges, exportOutgoingEdges: c.exportOutgoingEdges };
  const body = {
    name: want.body.name,
    description: withMarker(want.body.description, ctx.marker),
    condition: conditionBody(want.body.condition),
    rules: childRulesBody(want.body.rules, have ? childIds(have.raw.rules) : undefined),
    connectorProviderDefinitionId: c.connectorProviderDefinitionId,
    containerName: c.containerName,
    mode,
    ...edges,
  };
  const id = have
    ? have.id
    : await create(ctx, want, () => client.request("POST", "/api/v1/streams", { body }));
  if (
    have &&
    changed(
      ctx,
      { ...want, connector: c },
      { ...have, object: { ...have.object, connector: c } as StreamObject },
    )
  )
    await client.request("PUT", `/api/v1/streams/${enc(id)}`, { body });
  if (!have || canonicalJson(c) !== canonicalJson((have.object as StreamObject).connector))
    await client.request("POST", `/api/v1/streams/setupconnector/${enc(id)}`, {
      idempotent: true,
      body: {
        connectorProviderDefinitionId: c.connectorProviderDefinitionId,
        containerName: c.containerName,
        mode,
        ...edges,
        dataTypes: c.dataTypes.map((d) => ({
          key: d.key,
          type: toInt("MappingTypeEnum", d.type),
          displayName: d.key,
        })),
      },
    });
  return id;
}

/** 200 on the platform; a 404 means someone (or our own lost first attempt) deleted it already. */
async function deleteObject(client: CluedinClient, p: Placed): Promise<void> {
  const path = {
    "entity-type": undefined,
    vocabulary: `/api/v1/vocabs/vocabulary/${enc(p.id)}`,
    "vocabulary-key": `/api/v1/vocabs/vocabulary/${enc(p.parentId ?? "")}/key/${enc(p.id)}`,
    rule: `/api/v1/rules/${enc(p.id)}`,
    "dedup-project": `/api/deduplication/projects/${enc(p.id)}`,
    stream: `/api/v1/streams/${enc(p.id)}`,
  }[p.object.type];
  if (path !== undefined) await client.request("DELETE", path, { expect: [404] });
}

/** The id a create answered: a bare JSON string (DIGEST 5.2), or an object with an id, defensively. */
function idOf(body: unknown, what: string): string {
  if (typeof body === "string" && body !== "") return body;
  const id = (body as Json | undefined)?.id;
  if (typeof id === "string") return id;
  throw new TargetError(0, "bad_response", `creating ${what}: the platform answered no id`);
}

/**
 * A create, never sent twice blindly: when its answer is lost the objects of that type carrying this resource's
 * marker are listed again, and the one with the object's natural key is the one the lost call made. Only when it is
 * not there is the create sent again. A 409 on an entity type means the code exists: that is all clue wants.
 */
async function create(
  ctx: WriteContext,
  want: CluedinObject,
  post: () => Promise<{ status: number; body: unknown }>,
  options: { conflictMeansThere?: boolean } = {},
): Promise<string> {
  const find = async () =>
    (await ctx.relist(want.type)).find((p) => objectAddress(p.object) === objectAddress(want))?.id;
  return createChild(
    ctx,
    async () => {
      const response = await post();
      if (response.status === 409) {
        if (options.conflictMeansThere) return "";
        const found = await find();
        if (found !== undefined) return found;
        throw new TargetError(
          409,
          "exists_unmanaged",
          `${want.type} "${want.key}" exists on the platform but does not carry clue's marker for ${ctx.marker.resource}; clue does not take over objects it did not make — delete or rename it on the platform, or rename it in the config`,
        );
      }
      return idOf(response.body, `${want.type} ${want.key}`);
    },
    find,
  );
}

async function createChild(
  ctx: WriteContext,
  post: () => Promise<string | { status: number; body: unknown }>,
  find: () => Promise<string | undefined>,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await post();
      return typeof answer === "string" ? answer : idOf(answer.body, "a deduplication rule");
    } catch (error) {
      if (!(error instanceof TargetError && error.code === "answer_lost") || attempt + 1 >= ctx.maxAttempts)
        throw error;
      const found = await find();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt)));
    }
  }
}
