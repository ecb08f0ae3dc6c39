import { loadProject, type Project } from "../config/project.js";
import { readProjectFiles } from "../config/read-project.js";
import { desiredState } from "../deploy/desired.js";
import {
  applyAccepted,
  classify,
  compareResources,
  dataDeltas,
  dqDeltas,
  matchDeltas,
  DIFF_FORMAT_VERSION,
  type DiffReport,
} from "./diff.js";
import { readRevision, type Revision } from "./revision.js";
import { readCodeOwners } from "./release-notes.js";
import { evaluateSamples } from "./samples.js";
import type { EngineName } from "../engine/sql/plan.js";

function load(dir: string): Project {
  const files = readProjectFiles(dir);
  return loadProject(files.inputs, files.dataFiles, files.otherInputs);
}

/** The config hash a release of this project records (the same on every environment). */
function configHash(project: Project): string {
  const env = project.environments[0];
  if (!env) return "";
  return desiredState(project, env).configHash;
}

/**
 * Compares the project at two revisions: resources, breaking changes, and — by running the evaluator on the samples
 * each revision's tests name — export rows, events and validation pass rates. The base is read from git's object
 * store; the head is the working tree unless a revision is given.
 */
export async function buildDiff(
  root: string,
  baseRef: string,
  headRef: string | undefined,
  engine: EngineName = "js",
): Promise<{ report: DiffReport; head: Project; codeowners: string | undefined; headErrors: number }> {
  const revisions: Revision[] = [];
  try {
    const base = readRevision(root, baseRef);
    revisions.push(base);
    const head = readRevision(root, headRef);
    revisions.push(head);
    const baseProject = load(base.dir);
    const headProject = load(head.dir);
    const samples = {
      base: await evaluateSamples(baseProject, base.dir, engine),
      head: await evaluateSamples(headProject, head.dir, engine),
    };
    const findings = applyAccepted(classify(baseProject, headProject, samples), headProject);
    const invalid = (p: Project, label: string) => {
      const errors = p.diagnostics.filter((d) => d.severity === "error").length;
      return errors > 0
        ? [
            `the config at ${label} has ${errors} schema error${errors === 1 ? "" : "s"} (clue validate shows them); resources that break their schema are left out of the breaking-change checks`,
          ]
        : [];
    };
    const report: DiffReport = {
      format_version: DIFF_FORMAT_VERSION,
      base: { ref: base.label, sha: base.sha, config_hash: configHash(baseProject) },
      head: { ref: head.label, sha: head.sha, config_hash: configHash(headProject) },
      resources: compareResources(baseProject, headProject),
      findings,
      data: dataDeltas(samples.base, samples.head).filter(
        (d) => d.added.length + d.removed.length + d.changed.length > 0,
      ),
      matches: matchDeltas(samples.base, samples.head),
      dq: dqDeltas(samples.base, samples.head),
      problems: [
        ...invalid(baseProject, base.label),
        ...invalid(headProject, head.label),
        ...samples.base.problems.map((p) => `at ${base.label}: ${p}`),
        ...samples.head.problems.map((p) => `at ${head.label}: ${p}`),
      ],
    };
    return {
      report,
      head: headProject,
      codeowners: readCodeOwners(head.dir),
      headErrors: headProject.diagnostics.filter((d) => d.severity === "error").length,
    };
  } finally {
    for (const r of revisions) r.cleanup();
  }
}
