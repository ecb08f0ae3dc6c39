import { diagnosticAt, fileDiagnostic } from "../config/locate.js";
import { kindOfRestKind, kinds } from "../config/kinds.js";
import type { EnvironmentFile } from "../config/project.js";
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
  if (window.from >= window.to) {
    ctx.report(
      diagnosticAt(
        env.doc,
        ["change_window", "to"],
        "env/empty-window",
        `The change window ends (${window.to}) before it starts (${window.from}).`,
        {
          hint: "Make `to` later than `from`; windows do not cross midnight.",
        },
      ),
    );
  }
}

function checkOverrides(ctx: LintContext, env: EnvironmentFile): void {
  for (const address of Object.keys(env.spec.overrides ?? {})) {
    const [restKind = "", name = ""] = address.split("/");
    const kind = kindOfRestKind(restKind);
    if (kind && ctx.index.byName[kind].has(name)) continue;
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

const zones = new Set(Intl.supportedValuesOf("timeZone"));

function isTimeZone(name: string): boolean {
  if (zones.has(name)) return true;
  try {
    // supportedValuesOf leaves out aliases such as UTC and Etc/GMT+10 that DateTimeFormat accepts.
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
