import type { Diagnostic, NodePath } from "../diagnostics/diagnostic.js";
import type { Environment as EnvironmentSpec, IgnoreFile } from "../types/index.js";
import { schemaDiagnostics } from "../schema/schema-diagnostics.js";
import { validatorFor } from "../schema/validators.js";
import { didYouMean } from "../util/did-you-mean.js";
import {
  isKindName,
  kindNames,
  kindOfFolder,
  kinds,
  nameOf,
  type KindName,
  type KindSpecs,
} from "./kinds.js";
import { diagnosticAt, makeDiagnostic } from "./locate.js";
import { MAX_FILE_BYTES, parseSourceFile, textFile, type ConfigDocument, type SourceFile } from "./source-file.js";

export interface Resource<K extends KindName = KindName> {
  kind: K;
  name: string;
  /** Where the name came from, for findings about the name. */
  namePath: NodePath;
  spec: KindSpecs[K];
  doc: ConfigDocument;
  /** False when the document broke its schema: such resources count for name lookups but are not linted further. */
  valid: boolean;
}

export interface EnvironmentFile {
  name: string;
  spec: EnvironmentSpec;
  doc: ConfigDocument;
  valid: boolean;
}

export interface Project {
  files: SourceFile[];
  resources: Resource[];
  environments: EnvironmentFile[];
  ignore: IgnoreEntries | undefined;
  /** Files that exist beside the config (samples, reference tables), project-relative: for reference checks. */
  dataFiles: ReadonlySet<string>;
  /** The text of the other files under config/ and env/ (not parsed), for the secret scan. */
  otherFiles: SourceFile[];
  diagnostics: Diagnostic[];
}

export interface IgnoreEntries {
  spec: IgnoreFile;
  doc: ConfigDocument;
  /** Indexes of `findings` entries that broke the schema: reported, and not applied. */
  invalid: ReadonlySet<number>;
}

export interface ProjectInput {
  /** Project-relative path with forward slashes: config/..., env/..., or the ignore file. */
  path: string;
  bytes: Uint8Array;
  /** The file's size; a file too large to read is passed with no bytes and its size. */
  size?: number;
  /** Why the file could not be read, when it could not. */
  unreadable?: string;
  /** Set when the path is not read at all (not a regular file, or a link out of the project): the finding. */
  rejected?: { code: "file/not-regular" | "file/outside-project"; message: string };
}

export const IGNORE_FILE = ".clueignore.yaml";

/** Parses, classifies and schema-checks every file. Pure: the caller reads the files. */
export function loadProject(
  inputs: readonly ProjectInput[],
  dataFiles: ReadonlySet<string> = new Set(),
  otherInputs: readonly ProjectInput[] = [],
): Project {
  const project: Project = {
    files: [],
    resources: [],
    environments: [],
    ignore: undefined,
    dataFiles,
    otherFiles: otherInputs.flatMap((input) => {
      const text = textOf(input);
      return text === undefined ? [] : [textFile(input.path, text)];
    }),
    diagnostics: [],
  };
  for (const input of otherInputs) {
    if (input.rejected) project.diagnostics.push(rejectedDiagnostic(textFile(input.path, ""), input.rejected));
  }
  for (const input of inputs) {
    if (input.rejected) {
      const file = textFile(input.path, "");
      project.files.push(file);
      project.diagnostics.push(rejectedDiagnostic(file, input.rejected));
      continue;
    }
    const parsed = parseSourceFile(input.path, input.bytes, input.size, input.unreadable);
    project.files.push(parsed.file);
    pushAll(project.diagnostics, parsed.diagnostics);
    for (const doc of parsed.file.documents) {
      if (doc.value === undefined) continue;
      classify(project, doc);
    }
  }
  return project;
}

/** push(...list) takes every finding as an argument: a file with 200,000 of them overflows the stack. */
function pushAll(to: Diagnostic[], list: readonly Diagnostic[]): void {
  for (const d of list) to.push(d);
}

function rejectedDiagnostic(file: SourceFile, rejected: NonNullable<ProjectInput["rejected"]>): Diagnostic {
  return makeDiagnostic(file, rejected.code, 0, 0, rejected.message);
}

/** A data file's text, when it is text at all (binary and oversized files have nothing to scan). */
function textOf(input: ProjectInput): string | undefined {
  if (input.rejected !== undefined || input.unreadable !== undefined || (input.size ?? input.bytes.length) > MAX_FILE_BYTES || input.bytes.includes(0)) return undefined;
  return new TextDecoder().decode(input.bytes);
}

function classify(project: Project, doc: ConfigDocument): void {
  const { value } = doc;
  const path = doc.file.path;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    project.diagnostics.push(
      diagnosticAt(
        doc,
        [],
        "config/not-a-mapping",
        `A document must be a mapping of keys to values, found ${describeValue(value)}.`,
        {
          hint: "Each document is one resource; separate several with `---`.",
        },
      ),
    );
    return;
  }
  if (path === IGNORE_FILE) {
    const diagnostics = schemaDiagnostics(doc, validatorFor("ignore"), "the ignore file");
    for (const d of diagnostics) project.diagnostics.push({ ...d, code: "suppress/invalid" });
    // One bad entry must not void the others: the entries no finding points into still apply.
    if (diagnostics.some((d) => d.path[0] !== "findings" || d.path.length < 2)) return;
    const invalid = new Set(diagnostics.map((d) => Number(d.path[1])));
    project.ignore = { spec: value, doc, invalid };
    return;
  }
  if (path.startsWith("env/")) {
    let diagnostics = schemaDiagnostics(doc, validatorFor("environment"), "the environment");
    if (isRenamedTarget(value)) {
      // Files written before the platform target existed: one finding that says how to migrate, instead of the
      // schema's complaints about a cluedin target without an api_token or password.
      diagnostics = [
        ...diagnostics.filter((d) => d.path[0] !== "target"),
        diagnosticAt(
          doc,
          ["target", "type"],
          "env/target-renamed",
          "`type: cluedin` is now the CluedIn platform itself; this target, signed in with OAuth client credentials, speaks clue's own contract (`clue serve`), which is `type: clue-server`.",
          {
            hint: "Write `type: clue-server`. To deploy to the CluedIn platform, use `type: cluedin` with `auth: { type: api_token, token: { from_env: CLUEDIN_API_TOKEN } }`.",
          },
        ),
      ];
    }
    pushAll(project.diagnostics, diagnostics);
    const name = (value as { name?: unknown }).name;
    if (typeof name === "string") {
      project.environments.push({
        name,
        spec: value as EnvironmentSpec,
        doc,
        valid: diagnostics.length === 0,
      });
    }
    return;
  }
  const kind = kindOf(project, doc, value as Record<string, unknown>);
  if (!kind) return;
  const diagnostics = schemaDiagnostics(doc, validatorFor(kinds[kind].schema), `the ${kinds[kind].label}`);
  pushAll(project.diagnostics, diagnostics);
  const named = nameOf(kind, value);
  if (named) {
    project.resources.push({
      kind,
      name: named.name,
      namePath: named.path,
      spec: value as KindSpecs[typeof kind],
      doc,
      valid: diagnostics.length === 0,
    });
  }
}

/** An environment in the shape of clue's own contract, still called `cluedin` as before `clue-server` existed. */
function isRenamedTarget(value: object): boolean {
  const target = (value as { target?: unknown }).target;
  if (target === null || typeof target !== "object") return false;
  const { type, auth } = target as { type?: unknown; auth?: unknown };
  return (
    type === "cluedin" &&
    auth !== null &&
    typeof auth === "object" &&
    (auth as { type?: unknown }).type === "client_credentials"
  );
}

/** The kind from an explicit `kind:` field, else from the folder under config/. */
function kindOf(project: Project, doc: ConfigDocument, value: Record<string, unknown>): KindName | undefined {
  const segments = doc.file.path.split("/");
  const folder = segments.length > 2 ? (segments[1] ?? "") : "";
  const fromFolder = kindOfFolder(folder);
  const explicit = value.kind;
  if (explicit !== undefined) {
    if (isKindName(explicit)) {
      if (fromFolder && fromFolder !== explicit) {
        project.diagnostics.push(
          diagnosticAt(
            doc,
            ["kind"],
            "config/kind-folder-mismatch",
            `Document says kind "${explicit}" but sits in config/${folder}/, the folder of ${fromFolder} resources.`,
            {
              hint: `Move it to config/${kinds[explicit].folder}/, or correct \`kind:\`.`,
            },
          ),
        );
      }
      return explicit;
    }
    const guess = typeof explicit === "string" ? didYouMean(explicit, kindNames) : undefined;
    project.diagnostics.push(
      diagnosticAt(doc, ["kind"], "config/unknown-kind", `Unknown kind ${JSON.stringify(explicit)}.`, {
        hint: guess ? `Did you mean "${guess}"?` : `Kinds: ${kindNames.join(", ")}.`,
      }),
    );
    return undefined;
  }
  if (fromFolder) return fromFolder;
  project.diagnostics.push(
    diagnosticAt(
      doc,
      [],
      "config/unknown-kind",
      `Cannot tell the kind of this document: it has no \`kind:\` and ${folder ? `config/${folder}/ is not a kind's folder` : "it sits directly in config/"}.`,
      {
        hint: `Add \`kind:\` (${kindNames.join(", ")}) or move the file into config/${kindNames.map((k) => kinds[k].folder).join("/, config/")}/.`,
      },
    ),
  );
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return "an empty document";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

/** All resources of one kind, typed. */
export function resourcesOf<K extends KindName>(project: Project, kind: K): Resource<K>[] {
  return project.resources.filter((r): r is Resource<K> => r.kind === kind);
}
