/**
 * clue resources → CluedIn objects: the spec of each desired resource on a `type: cluedin` target. Pure; every
 * part the platform cannot express, or expresses only nearly, is a diagnostic located in the config file it came
 * from. A resource that compiles to nothing is absent from the result, with a diagnostic saying why.
 */
import { diagnosticAt, fileDiagnostic, locateInString, makeDiagnostic } from "../config/locate.js";
import { kinds } from "../config/kinds.js";
import type { Project, Resource } from "../config/project.js";
import type { DesiredResource } from "../deploy/desired.js";
import type { Diagnostic, NodePath } from "../diagnostics/diagnostic.js";
import { compareDiagnostics, formatPath } from "../diagnostics/diagnostic.js";
import type { RestKind } from "../target/contract.js";
import type { CleaningProject, DedupRules, Entity, Export, Validation } from "../types/index.js";
import type { CluedinObject, CompiledResource } from "./model.js";
import { compileCleaning } from "./kinds/cleaning-rule.js";
import type { CompileContext, Report } from "./kinds/context.js";
import { compileDedup } from "./kinds/dedup-project.js";
import { compileEntity } from "./kinds/entity-type.js";
import { compileExport } from "./kinds/stream.js";
import { compileValidation } from "./kinds/validation-rule.js";

type KindCompiler = (name: string, spec: Record<string, unknown>, ctx: CompileContext) => CluedinObject[];

/** Each REST kind's compiler, or why the platform has no place for the kind at all. */
const COMPILERS: Record<RestKind, KindCompiler | string> = {
  entities: (_, spec, ctx) => compileEntity(spec as unknown as Entity, ctx),
  mappings: "CluedIn maps sources in its UI and GraphQL only, not through the API clue deploys with",
  "cleaning-projects": (_, spec, ctx) => compileCleaning(spec as unknown as CleaningProject, ctx),
  validations: (_, spec, ctx) => compileValidation(spec as unknown as Validation, ctx),
  "dedup-rules": (name, spec, ctx) => compileDedup(name, spec as unknown as DedupRules, ctx),
  contracts: "contracts are checked by clue; the platform has no equivalent",
  exports: (_, spec, ctx) => compileExport(spec as unknown as Export, ctx),
  webhooks:
    "CluedIn's webhooks are inbound (for crawlers); it has no outbound notification clue can configure",
};

export interface CluedinCompilation {
  /** `<rest-kind>/<name>` → the objects, in write order. */
  compiled: Map<string, CompiledResource>;
  /** The same map, under the name the design document gives it. */
  resources: Map<string, CompiledResource>;
  diagnostics: Diagnostic[];
}

export function compileForCluedin(
  project: Project,
  resources: readonly DesiredResource[],
): CluedinCompilation {
  const compiled = new Map<string, CompiledResource>();
  const diagnostics: Diagnostic[] = [];
  const entities = new Map<string, Entity>();
  for (const r of resources) if (r.kind === "entities") entities.set(r.name, r.spec as unknown as Entity);
  for (const r of resources) {
    const source = findResource(project, r.kind, r.name);
    const reporter =
      (code: "cluedin/unsupported" | "cluedin/approximated"): Report =>
      (path, message, options = {}) =>
        diagnostics.push(locatedDiagnostic(source, r, code, path, message, options));
    const ctx: CompileContext = {
      entity: (name) => entities.get(name),
      unsupported: reporter("cluedin/unsupported"),
      approximated: reporter("cluedin/approximated"),
    };
    const compiler = COMPILERS[r.kind];
    if (typeof compiler === "string") {
      ctx.unsupported([], `Not deployed to CluedIn: ${compiler}.`);
      continue;
    }
    const objects = compiler(r.name, r.spec, ctx);
    if (objects.length > 0) compiled.set(`${r.kind}/${r.name}`, { objects });
  }
  diagnostics.sort(compareDiagnostics);
  return { compiled, resources: compiled, diagnostics };
}

function findResource(project: Project, kind: RestKind, name: string): Resource | undefined {
  return project.resources.find((r) => kinds[r.kind].restKind === kind && r.name === name);
}

function locatedDiagnostic(
  source: Resource | undefined,
  r: DesiredResource,
  code: "cluedin/unsupported" | "cluedin/approximated",
  path: NodePath,
  message: string,
  options: Parameters<Report>[2] & object,
): Diagnostic {
  const where = path.length === 0 ? "" : ` ${formatPath(path)}`;
  const text = `${r.kind}/${r.name}${where}: ${message}`;
  const extra = {
    ...(options.hint ? { hint: options.hint } : {}),
    ...(options.error ? { severity: "error" as const } : {}),
    path,
  };
  if (!source) return fileDiagnostic(`config/${r.kind}`, code, text, extra);
  if (options.span) {
    const range = locateInString(source.doc, path, options.span.start, options.span.end - options.span.start);
    return makeDiagnostic(source.doc.file, code, range.start, range.end, text, extra);
  }
  return diagnosticAt(source.doc, path, code, text, extra);
}
