/**
 * CluedIn objects → clue YAML in the repository layout, one file per resource: the reverse of compile.ts for
 * everything clue writes, so that compiling the files gives the same objects again. An object clue could not have
 * written is listed in `unsupported` with the reason, never turned into a guess.
 */
import type { Entity } from "../types/index.js";
import type { CluedinObject, RuleObject, VocabularyKeyObject, VocabularyObject } from "./model.js";
import { importCleaning } from "./kinds/cleaning-rule.js";
import type { ImportedFile } from "./kinds/context.js";
import { importDedup } from "./kinds/dedup-project.js";
import { FROM_DATA_TYPE, importEntity } from "./kinds/entity-type.js";
import { importStream } from "./kinds/stream.js";
import { survivorshipRuleName } from "./kinds/survivorship.js";
import { importValidation } from "./kinds/validation-rule.js";

export interface CluedinImport {
  files: ImportedFile[];
  unsupported: string[];
}

export function importFromCluedin(objects: readonly CluedinObject[]): CluedinImport {
  const unsupported: string[] = [];
  const files: ImportedFile[] = [];
  const of = <T extends CluedinObject["type"]>(type: T) =>
    objects.filter((o): o is Extract<CluedinObject, { type: T }> => o.type === type);
  const { byCode, byPrefix } = entities(of("vocabulary"), of("vocabulary-key"), files, unsupported);
  for (const et of of("entity-type"))
    if (!byCode.has(et.key)) unsupported.push(`entity type ${et.key}: no vocabulary clue wrote groups it`);
  const entityOf = (code: string) => byCode.get(code);
  const rules = of("rule");
  const survivorship = rules.filter((r) => r.body.scope === "Survivorship");
  const claimed = new Set<RuleObject>();
  for (const rule of rules) {
    if (rule.body.scope === "DataPart") push(files, importCleaning(rule, entityOf, unsupported));
    if (rule.body.scope === "Entity") push(files, importValidation(rule, entityOf, unsupported));
  }
  for (const project of of("dedup-project")) {
    const own = survivorship.filter((r) =>
      r.body.name.startsWith(survivorshipRuleName(project.body.name, "")),
    );
    own.forEach((r) => claimed.add(r));
    push(files, importDedup(project, own, entityOf, unsupported));
  }
  for (const r of survivorship)
    if (!claimed.has(r))
      unsupported.push(`rule Survivorship/${r.body.name}: no deduplication project clue wrote owns it`);
  for (const stream of of("stream"))
    push(
      files,
      importStream(stream, (p) => byPrefix.get(p), unsupported),
    );
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, unsupported: unsupported.sort() };
}

function push(files: ImportedFile[], file: ImportedFile | undefined): void {
  if (file) files.push(file);
}

/** Each vocabulary with its keys becomes an entity; the entities are what the other kinds' imports refer to. */
function entities(
  vocabularies: VocabularyObject[],
  keys: VocabularyKeyObject[],
  files: ImportedFile[],
  unsupported: string[],
) {
  const byCode = new Map<string, Entity>();
  const byPrefix = new Map<string, Entity>();
  for (const v of vocabularies) {
    const own = keys.filter((k) => k.vocabulary === v.key);
    const file = importEntity(v, own, unsupported);
    files.push(file);
    const entity: Entity = {
      entity: v.body.grouping.replace(/^\//, "") || v.body.vocabularyName,
      fields: Object.fromEntries(
        own.map((k) => [k.body.name, { type: FROM_DATA_TYPE[k.body.dataType] ?? "string" }]),
      ),
    };
    byCode.set(`/${entity.entity}`, entity);
    byPrefix.set(v.key, entity);
  }
  return { byCode, byPrefix };
}
