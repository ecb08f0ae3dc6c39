/**
 * export ↔ stream. The condition is `EntityType In [...]`; `mask: redact` becomes a Delete Value action on the
 * exported copy; the connector is the export target whose id `options.connection` holds (export targets are made
 * in the platform with their secrets: clue references them, never creates them). sql-table streams run in Sync
 * mode into `options.table`; event-hub and service-bus in EventStream mode into the hub, queue or topic.
 */
import type { Entity, Export } from "../../types/index.js";
import { action, actionKey } from "../actions.js";
import { group } from "../conditions.js";
import type { ChildRule, StreamObject } from "../model.js";
import { OBJECT_TYPES, OPERATORS, operatorName } from "../operators.js";
import { fileName, prefixOf, yamlText, type CompileContext, type ImportedFile } from "./context.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MODES = { "sql-table": "Sync", "event-hub": "EventStream", "service-bus": "EventStream" } as const;
const MASK_RULE = "mask";

type Options = Record<string, unknown>;

/** An option's text: options hold strings here (the schema says so); anything else counts as absent. */
const text = (value: unknown): string => (typeof value === "string" ? value : "");

export function compileExport(spec: Export, ctx: CompileContext): StreamObject[] {
  const type = spec.type;
  if (type !== "sql-table" && type !== "event-hub" && type !== "service-bus") {
    ctx.unsupported(
      ["type"],
      `Export "${spec.name}" is not deployed: CluedIn has no ${type} export clue can configure.`,
    );
    return [];
  }
  const options = spec.options as Options;
  const connection = text(options.connection);
  if (!GUID.test(connection)) {
    ctx.unsupported(
      ["options", "connection"],
      `Export "${spec.name}" is not deployed: options.connection is "${connection}", not the id of a CluedIn export target.`,
      {
        error: true,
        hint: "Create the export target in CluedIn (Consume › Export Targets) and set the environment's variable for this connection to its id (a GUID).",
      },
    );
    return [];
  }
  reportSettings(spec, options, ctx);
  const columns = exportedColumns(spec, ctx);
  const entities = spec.entity_types ?? [...new Set(columns.map((c) => c.entity))];
  const redacted = columns.filter((c) => spec.mask?.[c.column] === "redact");
  const rules: ChildRule[] =
    redacted.length === 0
      ? []
      : [
          {
            name: MASK_RULE,
            order: 1,
            isActive: true,
            conditions: group("AND", []),
            actions: redacted.map((c) => action("deleteValue", { FieldName: c.key })),
          },
        ];
  return [
    {
      type: "stream",
      key: spec.name,
      body: {
        name: spec.name,
        description: spec.description ?? "",
        condition: group("AND", [
          {
            kind: "leaf",
            objectTypeId: OBJECT_TYPES.property,
            field: "EntityType",
            operator: OPERATORS.In,
            type: "string",
            value: entities.map((e) => `/${e}`),
          },
        ]),
        rules,
      },
      connector: {
        connectorProviderDefinitionId: connection.toLowerCase(),
        containerName: text(
          type === "sql-table"
            ? options.table
            : type === "event-hub"
              ? options.hub
              : (options.queue ?? options.topic),
        ),
        mode: MODES[type],
        dataTypes: columns
          .filter((c) => spec.mask?.[c.column] !== "hash")
          .map((c) => ({ key: c.key, type: "vocabkey" as const })),
        exportIncomingEdges: false,
        exportOutgoingEdges: false,
      },
    },
  ];
}

interface Column {
  column: string;
  entity: string;
  key: string;
}

function exportedColumns(spec: Export, ctx: CompileContext): Column[] {
  const columns: Column[] = [];
  let renamed = false;
  for (const [column, source] of Object.entries(spec.mapping ?? {})) {
    const [entity, field, ...rest] = source.split(".");
    if (!entity || !field || rest.length > 0 || !ctx.entity(entity)?.fields[field]) {
      ctx.unsupported(
        ["mapping", column],
        `Column "${column}" is not deployed: ${source} is not <Entity>.<field> of a defined entity.`,
      );
      continue;
    }
    if (spec.mask?.[column] === "hash")
      ctx.unsupported(
        ["mask", column],
        `Column "${column}" is left out of the stream: CluedIn cannot hash a value, and sending it in clear would expose it.`,
        {
          error: true,
          hint: "Redact the column instead (mask: redact), or remove it from the mapping.",
        },
      );
    renamed ||= column !== field;
    columns.push({ column, entity, key: `${prefixOf(entity)}.${field}` });
  }
  if (renamed)
    ctx.approximated(
      ["mapping"],
      "CluedIn names exported properties by vocabulary key (person.email), not by the mapping's column names.",
      {
        hint: "Rename properties in the stream's property mapping on the platform, or name the columns after the fields.",
      },
    );
  return columns;
}

function reportSettings(spec: Export, options: Options, ctx: CompileContext): void {
  const not = (path: (string | number)[], why: string) => ctx.unsupported(path, `Not deployed: ${why}.`);
  if (spec.type === "sql-table") {
    if (options.schema !== undefined)
      not(
        ["options", "schema"],
        "the database schema belongs to the export target's configuration on the platform",
      );
    if (options.primary_key !== undefined)
      not(["options", "primary_key"], "the SQL Server connector keys rows on the entity id");
    if (options.mode !== undefined && options.mode !== "upsert")
      not(["options", "mode"], "streams keep the table in sync (upsert) only");
  } else {
    ctx.approximated(
      ["type"],
      "CluedIn sends its own message shape (flat properties, ChangeType), not clue's event envelope (specVersion, version, hash, provenance).",
    );
  }
  if (spec.schedule !== undefined) not(["schedule"], "streams export continuously; there is no schedule");
  if (spec.contract !== undefined) not(["contract"], "contracts are checked by clue, not by the platform");
  if (spec.partition_key !== undefined) not(["partition_key"], "CluedIn's connectors send no partition key");
  if (spec.events !== undefined && spec.events.length < 2)
    not(["events"], "a stream sends both changes and deletions");
  for (const key of Object.keys(spec.filter ?? {}))
    not(
      ["filter", key],
      "stream conditions cannot test match confidence, golden status or stewardship state",
    );
}

/** A stream clue wrote → `config/exports/<name>.yaml`. */
export function importStream(
  stream: StreamObject,
  entityOfPrefix: (prefix: string) => Entity | undefined,
  unsupported: string[],
): ImportedFile | undefined {
  const why = (reason: string) => void unsupported.push(`stream ${stream.key}: ${reason}`);
  const scope = stream.body.condition;
  const leaf = scope.kind === "group" && scope.rules.length === 1 ? scope.rules[0] : undefined;
  if (leaf?.kind !== "leaf" || leaf.field !== "EntityType" || operatorName(leaf.operator) !== "In")
    return why("its condition is not `EntityType In [...]`");
  const mapping: Record<string, string> = {};
  const columnOf = new Map<string, string>();
  for (const d of stream.connector.dataTypes) {
    const dot = d.key.indexOf(".");
    const entity = d.type === "vocabkey" ? entityOfPrefix(d.key.slice(0, dot)) : undefined;
    const field = d.key.slice(dot + 1);
    if (!entity || !Object.hasOwn(entity.fields, field)) {
      why(`exported property ${d.key} is not a field of an entity clue defines`);
      continue;
    }
    const column = Object.hasOwn(mapping, field) ? d.key.replace(".", "_") : field;
    mapping[column] = `${entity.entity}.${field}`;
    columnOf.set(d.key, column);
  }
  const mask: Record<string, "redact"> = {};
  for (const r of stream.body.rules)
    for (const a of r.actions) {
      const column = columnOf.get(a.properties.FieldName ?? "");
      if (r.name === MASK_RULE && actionKey(a) === "deleteValue" && column) mask[column] = "redact";
      else why(`action ${a.name} of child rule "${r.name}" is not a redaction clue can write`);
    }
  const c = stream.connector;
  const sql = c.mode === "Sync";
  const spec = {
    name: stream.key,
    type: sql ? "sql-table" : "event-hub",
    ...(stream.body.description ? { description: stream.body.description } : {}),
    options: sql
      ? { connection: c.connectorProviderDefinitionId, table: c.containerName }
      : { connection: c.connectorProviderDefinitionId, hub: c.containerName },
    entity_types: leaf.value.map((v) => v.replace(/^\//, "")),
    mapping,
    ...(Object.keys(mask).length > 0 ? { mask } : {}),
  };
  const note = sql
    ? undefined
    : "An EventStream stream: the export target may be an Event Hub or a Service Bus; clue reads it as event-hub.";
  return { path: `config/exports/${fileName(stream.key)}.yaml`, text: yamlText(spec, note) };
}
