import type { Project } from "../config/project.js";
import type { GoldenRecord } from "../golden/golden.js";
import { indexProject } from "../lint/project-index.js";
import { EVENT_STATE_FORMAT, type EventState } from "./event-state.js";
import { renderEvents, type EventOptions, type RenderedEvents, type Stewardship } from "./events.js";
import { renderTableRows, type RenderedRows } from "./table-rows.js";

/** Export types rendered as rows (`export:NAME`); the others render events (`events:NAME`). */
export const TABLE_TYPES: ReadonlySet<string> = new Set(["sql-table", "file"]);

export interface ExportStageInput {
  golden: readonly GoldenRecord[];
  stewardship: (entityId: string) => Stewardship;
  events: Omit<EventOptions, "recencyField">;
  recencyField: string;
  /** What the previous run published (`--state`); nothing when omitted, so every entity is version 1. */
  previous?: (exportName: string) => EventState;
}

export type ExportStageResult =
  | ({ kind: "rows" } & RenderedRows)
  | ({ kind: "events" } & RenderedEvents)
  | { kind: "error"; error: string };

/**
 * `export:NAME` renders the rows of a table or file export; `events:NAME` the events of an event-hub, service-bus or
 * power-automate export. Asking one stage for the other kind of export is a usage error that names the right stage.
 */
export function exportStage(project: Project, stage: string, input: ExportStageInput): ExportStageResult {
  const [prefix, name = ""] = splitStage(stage);
  const index = indexProject(project);
  const resource = index.byName.export.get(name);
  if (!resource) {
    const known = [...index.byName.export.values()].map((e) => `${stageOf(e.spec.type)}:${e.name}`);
    return {
      kind: "error",
      error: `no export named "${name}" (stages of exports: ${known.join(", ") || "none"})`,
    };
  }
  const wanted = stageOf(resource.spec.type);
  if (prefix !== wanted)
    return {
      kind: "error",
      error: `export ${name} is a ${resource.spec.type} export: its stage is ${wanted}:${name}, not ${prefix}:${name}`,
    };
  const contract =
    resource.spec.contract === undefined
      ? undefined
      : index.byName.contract.get(resource.spec.contract)?.spec;
  if (prefix === "export") return { kind: "rows", ...renderTableRows(resource.spec, input.golden, contract) };
  const previous = input.previous?.(name) ?? {
    format_version: EVENT_STATE_FORMAT,
    export: name,
    entities: {},
  };
  return {
    kind: "events",
    ...renderEvents(resource.spec, input.golden, input.stewardship, contract, previous, {
      ...input.events,
      recencyField: input.recencyField,
      piiFields: new Set(
        [
          ...new Set([
            ...(resource.spec.entity_types ?? []),
            ...Object.values(resource.spec.mapping ?? {}).map((r) => r.split(".")[0] ?? ""),
          ]),
        ]
          .flatMap((entity) => Object.entries(index.fieldsOf(entity) ?? {}))
          .filter(([, f]) => f.pii === true)
          .map(([name]) => name),
      ),
    }),
  };
}

function stageOf(type: string): "export" | "events" {
  return TABLE_TYPES.has(type) ? "export" : "events";
}

function splitStage(stage: string): [string, string] {
  const colon = stage.indexOf(":");
  return [stage.slice(0, colon), stage.slice(colon + 1)];
}

/** The export a stage names (`export:NAME` or `events:NAME`), or undefined for the other stages. */
export function exportName(stage: string): string | undefined {
  return /^(export|events):/.test(stage) ? splitStage(stage)[1] : undefined;
}
