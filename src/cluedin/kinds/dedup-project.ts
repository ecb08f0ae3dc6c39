/**
 * dedup rules ↔ a deduplication project scoped to the entity type, one matching rule per clue rule (rules OR'd,
 * criteria AND'd, as in clue), plus Survivorship-scope rules (survivorship.ts). A rule compiles only when its
 * `when` is a conjunction of `f(x) == f(other.x)` or `similarity(f(x), f(other.x)) >= t` terms with f built from
 * the tables in dedup-tables.ts. The platform has no scores: confidences and thresholds are reported, not deployed.
 */
import type { Node, Span } from "../../expr/ast.js";
import { parse } from "../../expr/parser.js";
import type { DedupRules, Entity } from "../../types/index.js";
import type { MatchRule } from "../../types/generated/dedup.js";
import { entityTypeLeaf, group } from "../conditions.js";
import type { CluedinObject, DedupProjectObject, MatchingCriterion, RuleObject } from "../model.js";
import {
  fieldContext,
  fileName,
  yamlText,
  type CompileContext,
  type ImportedFile,
  entityOrReport,
  scopedEntity,
} from "./context.js";
import {
  byClue,
  byDisplay,
  EQUALITY_MATCHERS,
  EQUALS,
  NORMALISERS,
  SIMILARITY_MATCHERS,
  type Mapping,
} from "./dedup-tables.js";
import { compileSurvivorship, importSurvivorship } from "./survivorship.js";

export function compileDedup(name: string, spec: DedupRules, ctx: CompileContext): CluedinObject[] {
  const entity = entityOrReport(spec.entity, ctx);
  if (!entity) return [];
  reportSettings(spec, ctx);
  const rules = (spec.rules ?? []).flatMap((rule, i) => {
    if (rule.prior_only !== true) return compileRule(rule, i, entity, ctx);
    ctx.unsupported(
      ["rules", i, "prior_only"],
      `Rule "${rule.name}" is not deployed: it only sets clue's prior.`,
    );
    return [];
  });
  const objects: CluedinObject[] = [];
  if (rules.length > 0) {
    const project: DedupProjectObject = {
      type: "dedup-project",
      key: name,
      body: {
        name,
        description: spec.description ?? "",
        deduplicationScopeFilterType: "EntityType",
        deduplicationScopeFilter: group("AND", [entityTypeLeaf(entity.entity)]),
      },
      rules,
    };
    objects.push(project);
  } else
    ctx.unsupported(
      [spec.rules ? "rules" : "comparisons"],
      "The deduplication project is not deployed: none of its rules can be expressed.",
    );
  return [...objects, ...compileSurvivorship(name, spec, entity, ctx)];
}

function reportSettings(spec: DedupRules, ctx: CompileContext): void {
  const noScores =
    "CluedIn's matching rules have no scores: a pair matches or not, and every group waits for review";
  ctx.unsupported(["auto_approve_threshold"], `Not deployed: ${noScores}.`, {
    hint: "Approve groups in the platform, or automate a project there.",
  });
  ctx.unsupported(["queue_threshold"], `Not deployed: ${noScores}.`);
  (spec.rules ?? []).forEach((r, i) =>
    ctx.unsupported(["rules", i, "confidence"], `Rule "${r.name}": confidence is not deployed: ${noScores}.`),
  );
  if (spec.blocking)
    ctx.unsupported(["blocking"], "Not deployed: a project narrows candidates by its entity type only.");
  if (spec.comparisons)
    ctx.unsupported(
      ["comparisons"],
      "Not deployed: CluedIn's matching rules have no probabilistic model (no m, u or weights); only the deterministic `rules:` become matching rules.",
      {
        hint: "Keep the model for clue's own runs and review, or express the strongest evidence as deterministic rules.",
      },
    );
  for (const key of ["prior", "training", "link_only", "one_to_one", "cluster_guard"] as const)
    if (spec[key] !== undefined)
      ctx.unsupported(
        [key],
        `Not deployed: ${key} belongs to clue's matching and has no place in a deduplication project.`,
      );
  if (spec.decisions)
    ctx.unsupported(
      ["decisions"],
      "Not deployed: merge and never-merge decisions are made on the platform's review screens, not declared.",
    );
}

class NotATerm extends Error {
  constructor(readonly span: Span) {
    super("not a matching term");
  }
}

function compileRule(
  rule: MatchRule,
  i: number,
  entity: Entity,
  ctx: CompileContext,
): DedupProjectObject["rules"] {
  const path = ["rules", i, "when"];
  const parsed = parse(rule.when);
  if (!parsed.ok) return [];
  const approximations = new Set<string>();
  try {
    const criteria = conjuncts(parsed.node).map((t) => criterion(t, entity, approximations));
    const seen = new Map<string, number>();
    for (const c of criteria) {
      const n = (seen.get(c.name) ?? 0) + 1;
      seen.set(c.name, n);
      if (n > 1) c.name = `${c.name}_${n}`;
    }
    for (const message of approximations) ctx.approximated(path, `Rule "${rule.name}": ${message}.`);
    return [{ name: rule.name, isActive: true, matchingCriteria: criteria }];
  } catch (error) {
    if (!(error instanceof NotATerm)) throw error;
    ctx.unsupported(
      path,
      `Rule "${rule.name}" is not deployed: this part is not \`f(x) == f(other.x)\` or \`similarity(x, other.x) >= t\` with functions CluedIn has.`,
      {
        span: error.span,
        hint: "See README, Deploying to CluedIn, for the functions that map to CluedIn normalisations and matching functions.",
      },
    );
    return [];
  }
}

function conjuncts(node: Node): Node[] {
  return node.kind === "binary" && node.op === "and"
    ? [...conjuncts(node.left), ...conjuncts(node.right)]
    : [node];
}

interface Chain {
  field: string;
  other: boolean;
  /** Outermost first. */
  fns: string[];
}

function chain(node: Node): Chain {
  if (node.kind === "field") {
    const other = node.path[0] === "other";
    const rest = other ? node.path.slice(1) : node.path;
    if (rest.length === 1) return { field: rest[0]!, other, fns: [] };
  }
  if (node.kind === "call" && node.args.length === 1 && node.args[0]!.name === undefined) {
    const inner = chain(node.args[0]!.value);
    return { ...inner, fns: [node.name, ...inner.fns] };
  }
  throw new NotATerm(node.span);
}

function pair(a: Node, b: Node, span: Span): [Chain, Chain] {
  const [x, y] = [chain(a), chain(b)];
  if (x.other === y.other || x.field !== y.field || x.fns.join() !== y.fns.join()) throw new NotATerm(span);
  return [x, y];
}

function criterion(term: Node, entity: Entity, approx: Set<string>): MatchingCriterion {
  let matching = EQUALS;
  let threshold: number | undefined;
  let fns: string[];
  let field: string;
  if (term.kind === "binary" && term.op === "==") {
    [{ field, fns }] = pair(term.left, term.right, term.span);
    const matcher = fns[0] === undefined ? undefined : byClue(EQUALITY_MATCHERS, fns[0]);
    if (matcher) {
      matching = use(matcher, approx);
      fns = fns.slice(1);
    }
  } else if (
    term.kind === "binary" &&
    term.op === ">=" &&
    term.left.kind === "call" &&
    term.right.kind === "literal" &&
    typeof term.right.value === "number"
  ) {
    const sim = byClue(SIMILARITY_MATCHERS, term.left.name);
    const [a, b] = term.left.args;
    if (!sim || term.left.args.length !== 2 || !a || !b) throw new NotATerm(term.span);
    [{ field, fns }] = pair(a.value, b.value, term.span);
    matching = use(sim, approx);
    threshold = Math.round(term.right.value * 100);
  } else throw new NotATerm(term.span);
  if (!Object.hasOwn(entity.fields, field)) throw new NotATerm(term.span);
  const normalizations = [...fns].reverse().map((fn) => {
    const n = byClue(NORMALISERS, fn);
    if (!n) throw new NotATerm(term.span);
    return { name: use(n, approx), configuration: null };
  });
  return {
    name: field,
    objectType: "VocabularyKey",
    fieldName: fieldContext(entity).key(field),
    matchingFunction: matching,
    comparisonConfiguration: threshold === undefined ? null : { threshold },
    normalizations,
  };
}

function use(m: Mapping, approx: Set<string>): string {
  if (m.approximation) approx.add(`${m.clue} → ${m.display}: ${m.approximation}`);
  return m.display;
}

/** A criterion as a clue term: the reverse of `criterion`. */
function term(c: MatchingCriterion, field: string): string | undefined {
  let [self, other] = [field, `other.${field}`];
  for (const n of c.normalizations) {
    const fn = byDisplay(NORMALISERS, n.name)?.clue;
    if (!fn) return undefined;
    [self, other] = [`${fn}(${self})`, `${fn}(${other})`];
  }
  if (c.matchingFunction === EQUALS) return `${self} == ${other}`;
  const eq = byDisplay(EQUALITY_MATCHERS, c.matchingFunction)?.clue;
  if (eq) return `${eq}(${self}) == ${eq}(${other})`;
  const sim = byDisplay(SIMILARITY_MATCHERS, c.matchingFunction)?.clue;
  const threshold = c.comparisonConfiguration?.threshold;
  return sim && typeof threshold === "number" ? `${sim}(${self}, ${other}) >= ${threshold / 100}` : undefined;
}

/** A project clue wrote (and its survivorship rules) → `config/dedup/<name>.yaml`. */
export function importDedup(
  project: DedupProjectObject,
  survivorship: RuleObject[],
  entityOf: (code: string) => Entity | undefined,
  unsupported: string[],
): ImportedFile | undefined {
  const scope = project.body.deduplicationScopeFilter;
  const entity = scopedEntity(scope, entityOf);
  if (!entity)
    return void unsupported.push(
      `dedup project ${project.key}: its scope is not one entity type clue defines`,
    );
  const prefix = `${entity.entity.toLowerCase()}.`;
  const rules: MatchRule[] = [];
  for (const r of project.rules) {
    const terms = r.matchingCriteria.map((c) =>
      c.fieldName.startsWith(prefix) ? term(c, c.fieldName.slice(prefix.length)) : undefined,
    );
    if (terms.length === 0 || terms.some((t) => t === undefined))
      unsupported.push(`dedup project ${project.key}, rule "${r.name}": criteria clue cannot write`);
    else rules.push({ name: r.name, when: terms.join(" and "), confidence: 1 });
  }
  if (rules.length === 0)
    return void unsupported.push(`dedup project ${project.key}: no rule clue can write`);
  const spec = {
    ...(project.body.name === entity.entity ? {} : { name: project.body.name }),
    entity: entity.entity,
    ...(project.body.description ? { description: project.body.description } : {}),
    rules,
    auto_approve_threshold: 1,
    queue_threshold: 1,
    ...importSurvivorship(project.body.name, survivorship, entity, unsupported),
  };
  const note = "CluedIn has no match scores: confidences and thresholds are placeholders (1).";
  return {
    path: `config/dedup/${fileName(project.body.name.toLowerCase())}.yaml`,
    text: yamlText(spec, note),
  };
}
