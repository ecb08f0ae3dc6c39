import { diagnosticAt, fileDiagnostic } from "../config/locate.js";
import { kindOfRestKind, kinds } from "../config/kinds.js";
import type { EnvironmentFile, Resource } from "../config/project.js";
import type { NodePath } from "../diagnostics/diagnostic.js";
import { schemaDiagnostics } from "../schema/schema-diagnostics.js";
import { validatorFor } from "../schema/validators.js";
import { didYouMean } from "../util/did-you-mean.js";
import type { LintContext, LintRule } from "./rule.js";

/** Environment files are consistent with their names, with each other and with the resources they override. */
export const environmentsRule: LintRule = {
  name: "environments",
  run(ctx) {
    const envs = ctx.project.environments;
    const byName = new Map(envs.map((e) => [e.name, e]));
    const localFile = envs.some((e) => /^env\/local\.(ya?ml|json)$/i.test(e.doc.file.path));
    if (!byName.has("local") && !localFile) {
      ctx.report(
        fileDiagnostic(
          "env/local.yaml",
          "env/no-local",
          "There is no env/local.yaml, so commands cannot run without a server.",
          {
            hint: "Add env/local.yaml with `name: local` and `target: { type: local }`.",
          },
        ),
      );
    }
    for (const env of envs) {
      const stem = env.doc.file.path.replace(/^env\//, "").replace(/\.(ya?ml|json)$/i, "");
      if (env.name !== stem) {
        ctx.report(
          diagnosticAt(
            env.doc,
            ["name"],
            "env/name-mismatch",
            `Environment "${env.name}" is in ${env.doc.file.path}; commands look for env/${env.name}.yaml.`,
            {
              hint: `Rename the file to env/${env.name}.yaml, or set \`name: ${stem}\`.`,
            },
          ),
        );
      }
      if (!env.valid) continue;
      checkPromotion(ctx, env, byName);
      checkWindow(ctx, env);
      checkOverrides(ctx, env);
    }
  },
};

function checkPromotion(ctx: LintContext, env: EnvironmentFile, byName: Map<string, EnvironmentFile>): void {
  const from = env.spec.promote_from;
  if (from === undefined) return;
  if (!byName.has(from)) {
    const guess = didYouMean(from, byName.keys());
    ctx.report(
      diagnosticAt(
        env.doc,
        ["promote_from"],
        "ref/unknown-environment",
        `Environment "${from}" does not exist.`,
        {
          hint: guess ? `Did you mean "${guess}"?` : `Environments: ${[...byName.keys()].join(", ")}.`,
        },
      ),
    );
    return;
  }
  // Follow the chain; coming back to this environment is a cycle. Each cycle is reported on every member.
  const seen = new Set([env.name]);
  for (let next: string | undefined = from; next !== undefined; next = byName.get(next)?.spec.promote_from) {
    if (next === env.name) {
      ctx.report(
        diagnosticAt(
          env.doc,
          ["promote_from"],
          "env/promote-cycle",
          `Promotion from "${from}" leads back to "${env.name}": ${[...seen, env.name].join(" → ")}.`,
          {
            hint: "Promotion flows one way; remove `promote_from` at the start of the chain.",
          },
        ),
      );
      return;
    }
    if (seen.has(next)) return; // a cycle that does not include this environment is reported on its own members
    seen.add(next);
  }
}

function checkWindow(ctx: LintContext, env: EnvironmentFile): void {
  const window = env.spec.change_window;
  if (!window) return;
  if (!isTimeZone(window.timezone)) {
    ctx.report(
      diagnosticAt(
        env.doc,
        ["change_window", "timezone"],
        "env/invalid-timezone",
        `"${window.timezone}" is not an IANA time zone.`,
        {
          hint: "Use a name such as Australia/Sydney, Europe/London or UTC.",
        },
      ),
    );
  }
  // A `to` before `from` is an overnight window (22:00–02:00); only an equal pair opens for no time at all.
  if (window.from === window.to) {
    ctx.report(
      diagnosticAt(
        env.doc,
        ["change_window", "to"],
        "env/empty-window",
        `The change window ends (${window.to}) when it starts (${window.from}): it is never open.`,
        {
          hint: "Make `to` differ from `from`; a `to` before `from` is an overnight window that closes the next morning.",
        },
      ),
    );
  }
}

function checkOverrides(ctx: LintContext, env: EnvironmentFile): void {
  for (const address of Object.keys(env.spec.overrides ?? {})) {
    const [restKind = "", name = ""] = address.split("/");
    const kind = kindOfRestKind(restKind);
    const resource = kind ? ctx.index.byName[kind].get(name) : undefined;
    if (resource) {
      checkOverrideShape(ctx, env, address, resource);
      continue;
    }
    const candidates = ctx.project.resources.map((r) => `${kinds[r.kind].restKind ?? r.kind}/${r.name}`);
    const guess = didYouMean(address, candidates);
    ctx.report(
      diagnosticAt(
        env.doc,
        ["overrides", address],
        "ref/unknown-resource",
        `Override "${address}" names no resource.`,
        {
          part: "key",
          hint: guess
            ? `Did you mean "${guess}"?`
            : "Use `kind/name` of an existing resource, with the REST kind (exports, mappings, ...).",
        },
      ),
    );
  }
}

/**
 * An override is deep-merged onto its resource at deploy time; the merged resource must still fit the kind's schema.
 * Only the problems the override itself brings are reported, at the override's own nodes.
 */
function checkOverrideShape(
  ctx: LintContext,
  env: EnvironmentFile,
  address: string,
  resource: Resource,
): void {
  const override = env.spec.overrides?.[address];
  if (!resource.valid || !isObject(override)) return;
  const merged = deepMerge(resource.spec, override);
  const at = ["overrides", address];
  const keep = (path: NodePath) => {
    let node: unknown = override;
    for (const segment of path) {
      if (!isObject(node) && !Array.isArray(node)) return false;
      if (!Object.hasOwn(node, segment)) return false;
      node = (node as Record<string | number, unknown>)[segment];
    }
    return true;
  };
  const what = `the ${kinds[resource.kind].label} after this override`;
  for (const d of schemaDiagnostics(env.doc, validatorFor(kinds[resource.kind].schema), what, {
    value: merged,
    at,
    keep,
  }))
    ctx.report(d);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Objects merge key by key; anything else in the override replaces what it overrides (as at deploy time). */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override))
    out[key] = Object.hasOwn(base, key) ? deepMerge(base[key], value) : value;
  return out;
}

/** Built on first use: listing the zones costs a few milliseconds, and most projects name none. */
let zones: ReadonlySet<string> | undefined;

function isTimeZone(name: string): boolean {
  zones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (zones.has(name)) return true;
  try {
    // supportedValuesOf leaves out aliases such as UTC and Etc/GMT+10 that DateTimeFormat accepts.
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
