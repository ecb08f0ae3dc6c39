import { stringify } from "yaml";
import { fileName, type ImportedFile } from "../cluedin/kinds/context.js";
import { kinds, kindOfRestKind } from "../config/kinds.js";
import { detectSecret } from "../lint/secret-patterns.js";
import type { RemoteResource } from "../target/contract.js";

export type { ImportedFile } from "../cluedin/kinds/context.js";

/**
 * What a `local` or `clue-server` target holds, back as clue YAML in the repository's layout: one file per resource
 * in its kind's folder (`entities/person.yaml`), the schema comment editors use, and every value that looks like a
 * credential replaced by a `{from_env: NAME}` reference (the value itself is never written; `secrets` lists the
 * variables to set). Pure: the command writes the files.
 */
export function importFiles(resources: readonly RemoteResource[]): {
  files: ImportedFile[];
  secrets: string[];
} {
  const files: ImportedFile[] = [];
  const secrets: string[] = [];
  const taken = new Set<string>();
  for (const r of [...resources].sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`))) {
    const kind = kindOfRestKind(r.kind);
    if (kind === undefined) continue;
    const def = kinds[kind];
    const base = fileName(r.name);
    let path = `${def.folder}/${base}.yaml`;
    for (let i = 2; taken.has(path.toLowerCase()); i++) path = `${def.folder}/${base}-${i}.yaml`;
    taken.add(path.toLowerCase());
    const spec = withoutSecrets(r.spec, [], `${r.kind}_${r.name}`, secrets) as Record<string, unknown>;
    files.push({
      path,
      text: `# yaml-language-server: $schema=../../schemas/${def.schema}.schema.json\n# Imported by clue import from the target: ${r.kind}/${r.name}.\n${stringify(spec, { lineWidth: 0 })}`,
    });
  }
  return { files, secrets: [...new Set(secrets)].sort() };
}

function withoutSecrets(
  value: unknown,
  path: (string | number)[],
  owner: string,
  secrets: string[],
): unknown {
  if (typeof value === "string") {
    if (!detectSecret(path, value)) return value;
    const name = `CLUE_IMPORTED_${owner}_${path.join("_")}`.toUpperCase().replace(/[^A-Z0-9_]+/g, "_");
    secrets.push(name);
    return { from_env: name };
  }
  if (Array.isArray(value)) return value.map((v, i) => withoutSecrets(v, [...path, i], owner, secrets));
  if (value !== null && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, withoutSecrets(v, [...path, k], owner, secrets)]),
    );
  return value;
}
