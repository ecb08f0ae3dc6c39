import type { JsonSchema } from "./json-schema.js";
import { generatedNote, type TypeTarget } from "./target.js";

/**
 * TypeScript source from a target's JSON Schema, so the two formats cannot drift apart: each titled object becomes
 * an exported interface (the top one first, then the ones it uses, in order of use), any other object is written
 * inline. Patterns have no TypeScript equivalent and stay in the schema.
 */
export function renderTypeScript(target: TypeTarget): string {
  const queue: [string, JsonSchema][] = [[target.typeName, target.schema]];
  const seen = new Set([target.typeName]);
  const blocks: string[] = [];
  const named = (schema: JsonSchema): string | undefined => {
    if (schema.title === undefined) return undefined;
    if (!seen.has(schema.title)) {
      seen.add(schema.title);
      queue.push([schema.title, schema]);
    }
    return schema.title;
  };
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    const [name, schema] = next;
    blocks.push(
      `${docComment(schema.description, "")}export interface ${name} ${objectBody(schema, "", named)}\n`,
    );
  }
  return `${headerComment(target.from)}\n${blocks.join("\n")}`;
}

/** Says where the file came from, so nobody edits it by hand (see also the JSON Schema's `$comment`). */
export function headerComment(from: readonly string[]): string {
  return `/* ${generatedNote(from)} */\n`;
}

type Namer = (schema: JsonSchema) => string | undefined;

function objectBody(schema: JsonSchema, indent: string, named: Namer): string {
  const required = new Set(schema.required ?? []);
  const inner = `${indent}  `;
  const lines = Object.entries(schema.properties ?? {}).map(
    ([key, property]) =>
      `${docComment(property.description, inner)}${inner}${propertyName(key)}${required.has(key) ? "" : "?"}: ${typeOf(property, inner, named)};`,
  );
  return lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${indent}}`;
}

function typeOf(schema: JsonSchema, indent: string, named: Namer): string {
  if (schema.enum !== undefined) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const types = [schema.type ?? []].flat();
  if (types.length === 0) return "unknown";
  return types
    .map((type) => {
      switch (type) {
        case "integer":
          return "number";
        case "array": {
          if (schema.items === undefined) return "unknown[]";
          const item = typeOf(schema.items, indent, named);
          // A name, a literal or one inline object needs no parentheses; a union does.
          return /^([\w"]+|\{[\s\S]*\})$/.test(item) && !item.includes(" | ") ? `${item}[]` : `(${item})[]`;
        }
        case "object":
          return named(schema) ?? objectBody(schema, indent, named);
        default:
          return type;
      }
    })
    .join(" | ");
}

function propertyName(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

/** A JSDoc line from a description; `*\/` inside it would end the comment early. */
function docComment(description: string | undefined, indent: string): string {
  if (description === undefined || description.trim() === "") return "";
  return `${indent}/** ${description.replace(/\*\//g, "*\\/").replace(/\s*\n\s*/g, " ")} */\n`;
}
