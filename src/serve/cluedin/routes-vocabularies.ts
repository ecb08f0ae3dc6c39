import { REST_ENUMS } from "../../cluedin/enums.js";
import { enumInt, invalid, listRoute, newId, notFound, ok, problem, type Route, stamp } from "./common.js";
import type { Stored } from "./store.js";

/** The documentation's rule for a key prefix: starts with a letter, then letters, digits or underscores. */
const PREFIX = /^[A-Za-z][A-Za-z0-9_]*$/;
const KEY_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

type VocabularyBody = {
  vocabularyId?: string;
  vocabularyName: string;
  grouping: string;
  keyPrefix: string;
  providerId?: string | null;
  description?: string | null;
};

type KeyBody = Record<string, unknown> & {
  vocabularyId: string;
  vocabularyKeyId?: string;
  name?: string;
  dataType?: number | string;
  storage?: number | string;
};

const conflict = (detail: string) => problem(409, "Conflict", detail);
const same = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();

/** A key as the lists answer it: ids, its full name (`<prefix>.<name>`), its fields with integer enums. */
function keyFrom(body: KeyBody, vocabulary: Stored, before: Stored | undefined, stamps: object): Stored {
  const id = before?.id ?? newId();
  const name = (before?.name as string | undefined) ?? body.name;
  const { vocabularyKeyId: _ignored, ...fields } = body;
  return {
    ...before,
    ...fields,
    id,
    vocabularyKeyId: id,
    vocabularyId: vocabulary.id,
    name,
    key: `${String(vocabulary.keyPrefix)}.${name}`,
    dataType: enumInt(REST_ENUMS.VocabularyKeyDataType, body.dataType ?? before?.dataType, 0),
    storage: enumInt(REST_ENUMS.VocabularyKeyStorage, body.storage ?? before?.storage, 0),
    isObsolete: body.isObsolete ?? before?.isObsolete ?? false,
    ...stamps,
  };
}

export const vocabularyRoutes: Route[] = [
  listRoute("/api/v1/vocabs", {
    collection: "vocabularies",
    take: 20,
    search: ["searchName", "vocabularyName"],
    where: (vocabulary, call) =>
      call.query.filterGrouping === undefined || same(vocabulary.grouping, call.query.filterGrouping),
  }),
  {
    method: "POST",
    path: "/api/v1/vocabs/vocabulary",
    write: true,
    async handle({ body, principal }, { store, now }) {
      const given = body as VocabularyBody;
      if (!PREFIX.test(given.keyPrefix))
        return invalid("keyPrefix", "starts with a letter and holds only letters, digits and underscores");
      const all = store.list("vocabularies");
      if (all.some((v) => same(v.vocabularyName, given.vocabularyName)))
        return conflict(`a vocabulary named ${given.vocabularyName} exists`);
      if (all.some((v) => same(v.keyPrefix, given.keyPrefix)))
        return conflict(`the key prefix ${given.keyPrefix} is taken`);
      const id = newId();
      await store.put("vocabularies", {
        id,
        vocabularyId: id,
        vocabularyName: given.vocabularyName,
        keyPrefix: given.keyPrefix,
        grouping: given.grouping,
        providerId: given.providerId ?? null,
        description: given.description ?? null,
        isActive: true,
        ...stamp(undefined, principal, now()),
      });
      return { status: 201, body: id };
    },
  },
  {
    method: "PUT",
    path: "/api/v1/vocabs/vocabulary",
    write: true,
    async handle({ body, principal }, { store, now }) {
      const given = body as VocabularyBody;
      const before = store.get("vocabularies", given.vocabularyId ?? "");
      if (!before) return notFound("Vocabulary", given.vocabularyId ?? "");
      // The prefix is part of every key's full name: the platform never lets it change.
      if (given.keyPrefix !== before.keyPrefix)
        return invalid("keyPrefix", "the key prefix of a vocabulary cannot change");
      if (
        store
          .list("vocabularies")
          .some((v) => v.id !== before.id && same(v.vocabularyName, given.vocabularyName))
      )
        return conflict(`a vocabulary named ${given.vocabularyName} exists`);
      await store.put("vocabularies", {
        ...before,
        vocabularyName: given.vocabularyName,
        grouping: given.grouping,
        providerId: given.providerId ?? before.providerId ?? null,
        description: given.description ?? null,
        ...stamp(before, principal, now()),
      });
      return ok();
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/vocabs/vocabulary/{vocabularyId}",
    write: true,
    async handle({ params }, { store }) {
      const id = params.vocabularyId ?? "";
      if (!store.get("vocabularies", id)) return notFound("Vocabulary", id);
      if (store.list("keys").some((k) => k.vocabularyId === id))
        return problem(400, "Bad Request", "the vocabulary still has keys; delete them first");
      await store.remove("vocabularies", id);
      return ok();
    },
  },
  listRoute("/api/v1/vocabs/{vocabularyId}/keys", {
    collection: "keys",
    take: 20,
    search: ["searchName", "key"],
    parent: { param: "vocabularyId", collection: "vocabularies", what: "Vocabulary", field: "vocabularyId" },
  }),
  {
    method: "POST",
    path: "/api/v1/vocabs/key",
    write: true,
    async handle({ body, principal }, { store, now }) {
      const given = body as KeyBody;
      const vocabulary = store.get("vocabularies", given.vocabularyId);
      if (!vocabulary) return invalid("vocabularyId", `no vocabulary ${given.vocabularyId}`);
      if (!KEY_NAME.test(String(given.name)))
        return invalid("name", "starts with a letter and holds only letters, digits and underscores");
      if (store.list("keys").some((k) => k.vocabularyId === vocabulary.id && same(k.name, given.name)))
        return conflict(
          `the vocabulary ${String(vocabulary.vocabularyName)} has a key named ${String(given.name)}`,
        );
      const key = keyFrom(given, vocabulary, undefined, stamp(undefined, principal, now()));
      await store.put("keys", key);
      return { status: 201, body: key.id };
    },
  },
  {
    method: "PUT",
    path: "/api/v1/vocabs/key",
    write: true,
    async handle({ body, principal }, { store, now }) {
      const given = body as KeyBody;
      const before = store.get("keys", given.vocabularyKeyId ?? "");
      if (!before || before.vocabularyId !== given.vocabularyId)
        return notFound("Vocabulary key", given.vocabularyKeyId ?? "");
      const vocabulary = store.get("vocabularies", given.vocabularyId) as Stored;
      await store.put("keys", keyFrom(given, vocabulary, before, stamp(before, principal, now())));
      return ok();
    },
  },
  {
    method: "DELETE",
    path: "/api/v1/vocabs/vocabulary/{vocabularyId}/key/{vocabularyKeyId}",
    write: true,
    async handle({ params }, { store }) {
      const key = store.get("keys", params.vocabularyKeyId ?? "");
      if (!key || key.vocabularyId !== params.vocabularyId)
        return notFound("Vocabulary key", params.vocabularyKeyId ?? "");
      await store.remove("keys", key.id);
      return ok();
    },
  },
];
