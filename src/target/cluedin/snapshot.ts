import { REST_ENUMS } from "../../cluedin/enums.js";
import { readMarker, stripMarker, type Marker } from "../../cluedin/marker.js";
import type { CluedinObject, CluedinObjectType, EntityTypeObject } from "../../cluedin/model.js";
import { WRITE_ORDER } from "../../deploy/compiled.js";
import type { CluedinClient } from "./client.js";
import { childRulesModel, conditionModel, criteriaModel, toName, type Catalogue, type Json } from "./wire.js";

/** One platform object as read: the model object (description without its marker), its id and raw answer. */
export interface Placed {
  object: CluedinObject;
  id: string;
  /** The vocabulary's id, for a key. */
  parentId?: string;
  raw: Json;
  /** Dedup rules' raw answers, for a project. */
  children?: Json[];
  marker: Marker | undefined;
}

export interface Snapshot {
  /** Every entity type on the platform, by code (clue only ever creates them, matched by code). */
  entityTypes: Map<string, Placed>;
  /** Marked objects, and the unmarked ones of the kinds clue writes (never touched; listed for duplicates). */
  objects: Placed[];
  /** The DataPart rules named like the release ledger. */
  ledgers: Json[];
}

export const LEDGER_NAME = "clue release ledger";

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const description = (raw: Json) => stripMarker(str(raw.description));
const marker = (raw: Json) => readMarker(str(raw.description));

/** What one read touches: every call is a paged list, plus one GET per clue stream (lists omit connector setup). */
export type Collections = ReadonlySet<CluedinObjectType>;
export const ALL: Collections = new Set(WRITE_ORDER);

/** Reads the platform's objects of the given collections (and always the entity types and the ledger). */
export async function readSnapshot(
  client: CluedinClient,
  catalogue: () => Promise<Catalogue>,
  collections: Collections = ALL,
): Promise<Snapshot> {
  const want = (t: CluedinObjectType) => collections.has(t);
  const [entityTypes, vocabularies, rules, projects, streams] = await Promise.all([
    client.listAll("/api/entitytypeinfo/paged"),
    want("vocabulary") || want("vocabulary-key")
      ? client.listAll("/api/v1/vocabs", {}, { idOf: (v) => v.vocabularyId ?? v.id })
      : [],
    Promise.all(
      REST_ENUMS.ProcessingRuleScope.names.map((_, scope) =>
        client.listAll("/api/v1/rules", { scope: String(scope) }),
      ),
    ).then((pages) => pages.flat()),
    want("dedup-project") ? client.listAll("/api/deduplication/projects", {}, { pageParam: "Page" }) : [],
    want("stream") ? client.listAll("/api/v1/streams") : [],
  ]);
  const objects: Placed[] = [];
  for (const raw of vocabularies) {
    const id = str(raw.vocabularyId) || str(raw.id);
    objects.push({
      object: {
        type: "vocabulary",
        key: str(raw.keyPrefix),
        body: {
          vocabularyName: str(raw.vocabularyName),
          keyPrefix: str(raw.keyPrefix),
          grouping: str(raw.grouping),
          description: description(raw),
        },
      },
      id,
      raw,
      marker: marker(raw),
    });
  }
  // Keys only of clue's vocabularies: built-in vocabularies hold thousands, and clue never writes into them.
  const managedVocabularies = objects.filter((p) => p.marker && p.object.type === "vocabulary");
  const keyLists = await Promise.all(
    managedVocabularies.map((v) =>
      client.listAll(
        `/api/v1/vocabs/${encodeURIComponent(v.id)}/keys`,
        {},
        { idOf: (k) => k.vocabularyKeyId ?? k.id },
      ),
    ),
  );
  managedVocabularies.forEach((v, i) => {
    for (const raw of keyLists[i] ?? []) {
      const prefix = v.object.key;
      const name = str(raw.name);
      objects.push({
        object: {
          type: "vocabulary-key",
          key: str(raw.key) || `${prefix}.${name}`,
          vocabulary: prefix,
          body: {
            name,
            displayName: str(raw.displayName),
            groupName: str(raw.groupName),
            dataType: toName("VocabularyKeyDataType", raw.dataType),
            storage: toName("VocabularyKeyStorage", raw.storage),
            dataAnnotationsIsRequired: raw.dataAnnotationsIsRequired === true,
            dataClassificationCode:
              typeof raw.dataClassificationCode === "string" ? raw.dataClassificationCode : null,
            description: description(raw),
          },
        },
        id: str(raw.vocabularyKeyId) || str(raw.id),
        parentId: v.id,
        raw,
        marker: marker(raw),
      });
    }
  });
  const ledgers: Json[] = [];
  for (const raw of rules) {
    const scope = toName("ProcessingRuleScope", raw.scope) as "DataPart" | "Entity" | "Survivorship";
    if (raw.name === LEDGER_NAME && scope === "DataPart" && !marker(raw)) {
      ledgers.push(raw);
      continue;
    }
    objects.push({
      object: {
        type: "rule",
        key: `${scope}/${str(raw.name)}`,
        body: {
          name: str(raw.name),
          scope,
          isActive: raw.isActive === true,
          description: description(raw),
          condition: conditionModel(raw.condition),
          rules: childRulesModel(raw.rules),
        },
      },
      id: str(raw.id),
      raw,
      marker: marker(raw),
    });
  }
  const managedProjects = projects.filter((p) => marker(p));
  const projectRules = await Promise.all(
    managedProjects.map((p) =>
      client.listAll(`/api/deduplication/projects/${encodeURIComponent(str(p.id))}/rules`),
    ),
  );
  const cat = managedProjects.length > 0 ? await catalogue() : undefined;
  managedProjects.forEach((raw, i) => {
    const children = [...(projectRules[i] ?? [])].sort((a, b) => Number(a.order ?? 0) - Number(b.order ?? 0));
    objects.push({
      object: {
        type: "dedup-project",
        key: str(raw.name),
        body: {
          name: str(raw.name),
          description: description(raw),
          deduplicationScopeFilterType:
            toName("DeduplicationScopeFilterType", raw.deduplicationScopeFilterType) === "Advanced"
              ? "Advanced"
              : "EntityType",
          deduplicationScopeFilter: conditionModel(raw.deduplicationScopeFilter),
        },
        rules: children.map((r) => ({
          name: str(r.name),
          isActive: r.isActive !== false,
          matchingCriteria: criteriaModel(r.matchingCriteria, cat as Catalogue),
        })),
      },
      id: str(raw.id),
      raw,
      children,
      marker: marker(raw),
    });
  });
  // A list entry (StreamViewModel) lacks the exported properties: clue's own streams are read whole.
  const managedStreams = await Promise.all(
    streams
      .filter((s) => marker(s))
      .map(
        async (s) =>
          (await client.request("GET", `/api/v1/streams/${encodeURIComponent(str(s.id))}`)).body as Json,
      ),
  );
  for (const raw of managedStreams) {
    const dataTypes = Array.isArray(raw.dataTypes) ? (raw.dataTypes as Json[]) : [];
    objects.push({
      object: {
        type: "stream",
        key: str(raw.name),
        body: {
          name: str(raw.name),
          description: description(raw),
          condition: conditionModel(raw.condition),
          rules: childRulesModel(raw.rules),
        },
        connector: {
          connectorProviderDefinitionId: str(raw.connectorProviderDefinitionId),
          containerName: str(raw.containerName),
          mode: toName("StreamMode", raw.mode) === "EventStream" ? "EventStream" : "Sync",
          dataTypes: dataTypes.map((d) => ({
            key: str(d.key),
            type: toName("MappingTypeEnum", d.type) === "vocabkey" ? "vocabkey" : "metadata",
          })),
          exportIncomingEdges: raw.exportIncomingEdges === true,
          exportOutgoingEdges: raw.exportOutgoingEdges === true,
        },
      },
      id: str(raw.id),
      raw,
      marker: marker(raw),
    });
  }
  return {
    entityTypes: new Map(
      entityTypes.map((raw) => [
        str(raw.type),
        { object: entityTypeModel(raw), id: str(raw.id), raw, marker: undefined },
      ]),
    ),
    objects,
    ledgers,
  };
}

export function entityTypeModel(raw: Json): EntityTypeObject {
  return {
    type: "entity-type",
    key: str(raw.type),
    body: {
      type: str(raw.type),
      displayName: str(raw.displayName),
      icon: str(raw.icon),
      route: str(raw.route),
      active: raw.active !== false,
    },
  };
}
