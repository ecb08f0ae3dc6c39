/**
 * A faster way through the columns most master data is made of: plain values and structs of them, with no list or
 * map anywhere below. hyparquet assembles every optional level of such a column by wrapping each value in an array
 * of its own and unwrapping it again, which made a struct column cost ten times a flat one and filled memory with
 * garbage (a 122,880-row group of the crm-contacts shape took 1 GB). Here each leaf column chunk is decoded with
 * hyparquet's page readers into its definition levels and its values, and records are assembled straight from those:
 * a struct is null where its first leaf's definition level stops above it, a leaf has a value where its level is the
 * deepest. Lists, maps and variants go through hyparquet's own assembly (read.ts).
 *
 * The page readers are hyparquet's internal modules, which its package exports (`hyparquet/src/*.js`); the version
 * is pinned, and the integration tests read every logical type both ways.
 */
import type { ColumnChunk, DecodedArray, FileMetaData, SchemaTree } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { convert, convertWithDictionary, DEFAULT_PARSERS } from "hyparquet/src/convert.js";
import { decompressPage, readDataPage, readDataPageV2 } from "hyparquet/src/datapage.js";
import { readPlain } from "hyparquet/src/plain.js";

type ColumnDecoder = Parameters<typeof readDataPage>[2];
import { decompressors } from "./codecs.js";
import { parsers } from "./values.js";

/** Whether a top-level column is plain values and structs all the way down. */
export function isFlat(node: SchemaTree): boolean {
  const { element } = node;
  if (element.repetition_type === "REPEATED") return false;
  if (element.converted_type === "LIST" || element.converted_type === "MAP") return false;
  const logical = element.logical_type?.type;
  if (logical === "LIST" || logical === "MAP" || logical === "VARIANT") return false;
  return node.children.every(isFlat);
}

/** A leaf column of one row group: a definition level per row (none when the leaf cannot be null), and its values. */
export interface Leaf {
  /** Undefined when every row has a value (the leaf and all above it are required). */
  defs: Uint8Array | undefined;
  values: ArrayLike<unknown>;
}

/**
 * Decodes one leaf's column chunk (`bytes`, from its first page to its end) into levels and values, the values
 * converted by hyparquet (text, dictionaries) as the raw schema says.
 */
export function readLeaf(bytes: Uint8Array, chunk: ColumnChunk, path: SchemaTree[], rows: number): Leaf {
  const meta = chunk.meta_data;
  if (meta === undefined) throw new Error("the column chunk has no metadata");
  const element = (path[path.length - 1] as SchemaTree).element;
  const decoder: ColumnDecoder = {
    pathInSchema: meta.path_in_schema,
    type: meta.type,
    element,
    schemaPath: path,
    codec: meta.codec,
    parsers: { ...DEFAULT_PARSERS, ...parsers },
    compressors: decompressors,
    utf8: false,
  };
  const maxDef = path.filter((p, i) => i > 0 && p.element.repetition_type === "OPTIONAL").length;
  const defs = maxDef > 0 ? new Uint8Array(rows) : undefined;
  const chunks: ArrayLike<unknown>[] = [];
  let dictionary: DecodedArray | undefined;
  let levels = 0;
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  while (reader.offset < bytes.byteLength - 1 && levels < rows) {
    const header = parquetHeader(reader);
    const page = new Uint8Array(bytes.buffer, bytes.byteOffset + reader.offset, header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (header.type === "DICTIONARY_PAGE") {
      const raw = decompressPage(page, Number(header.uncompressed_page_size), meta.codec, decompressors);
      const view = { view: new DataView(raw.buffer, raw.byteOffset, raw.byteLength), offset: 0 };
      const count = header.dictionary_page_header?.num_values ?? 0;
      dictionary = convert(readPlain(view, meta.type, count, element.type_length), decoder);
      continue;
    }
    let data;
    let count;
    let encoding;
    if (header.type === "DATA_PAGE" && header.data_page_header) {
      const raw = decompressPage(page, Number(header.uncompressed_page_size), meta.codec, decompressors);
      data = readDataPage(raw, header.data_page_header, decoder);
      count = header.data_page_header.num_values;
      encoding = header.data_page_header.encoding;
    } else if (header.type === "DATA_PAGE_V2" && header.data_page_header_v2) {
      data = readDataPageV2(page, header, decoder);
      count = header.data_page_header_v2.num_values;
      encoding = header.data_page_header_v2.encoding;
    } else continue; // an index page: nothing to read
    if (levels + count > rows) throw new Error(`its pages hold more than the row group's ${rows} rows`);
    if (defs !== undefined) {
      const pageDefs = data.definitionLevels;
      // hyparquet leaves the levels out of a page where every value is there.
      if (pageDefs === undefined || pageDefs.length === 0) defs.fill(maxDef, levels, levels + count);
      else defs.set(pageDefs, levels);
    }
    levels += count;
    chunks.push(convertWithDictionary(data.dataPage, dictionary, encoding, decoder));
  }
  if (levels !== rows) throw new Error(`it holds ${levels} values where the row group has ${rows} rows`);
  return { defs, values: chunks.length === 1 ? (chunks[0] as ArrayLike<unknown>) : concat(chunks) };
}

function concat(chunks: ArrayLike<unknown>[]): unknown[] {
  const out: unknown[] = [];
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) out.push(chunk[i]);
  return out;
}

/** The bytes of a leaf's column chunk in the file: from its dictionary page (if any) to its end. */
export function chunkRange(chunk: ColumnChunk): { start: number; end: number } {
  const meta = chunk.meta_data;
  if (meta === undefined) throw new Error("the column chunk has no metadata");
  const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
  return { start, end: start + Number(meta.total_compressed_size) };
}

/** Reads rows in order: `read(i)` gives row i's value of the column, for i = 0, 1, 2, ... */
export type RowReader = (i: number) => unknown;

/**
 * The reader of a flat top-level column from its leaves' data (`leaves` by dotted path), each leaf value passed
 * through `convert` (the converter of values.ts for that leaf).
 */
export function flatColumnReader(
  node: SchemaTree,
  leaves: ReadonlyMap<string, Leaf>,
  convertOf: (leaf: SchemaTree) => (value: unknown) => unknown,
): RowReader {
  return nodeReader(node, 0);

  function nodeReader(at: SchemaTree, above: number): RowReader {
    const depth = above + (at.element.repetition_type === "OPTIONAL" ? 1 : 0);
    if (at.children.length === 0) {
      const leaf = leaves.get(at.path.join(".")) as Leaf;
      const convert = convertOf(at);
      const { defs, values } = leaf;
      if (defs === undefined) return (i) => convert(values[i]);
      let next = 0;
      return (i) => (defs[i] === depth ? convert(values[next++]) : null);
    }
    // `__proto__` is dropped at every depth, as the JSON readers drop it.
    const fields = at.children
      .filter((c) => c.element.name !== "__proto__")
      .map((c) => [c.element.name, nodeReader(c, depth)] as const);
    const first = leaves.get(firstLeaf(at).path.join(".")) as Leaf;
    const defs = first.defs;
    const optional = at.element.repetition_type === "OPTIONAL";
    return (i) => {
      // The struct is null where its first leaf's level stops above it; its leaves then hold no value to skip.
      if (optional && defs !== undefined && (defs[i] as number) < depth) return null;
      const out: Record<string, unknown> = {};
      for (const [name, read] of fields) out[name] = read(i);
      return out;
    };
  }
}

function firstLeaf(node: SchemaTree): SchemaTree {
  let at = node;
  while (at.children.length > 0) at = at.children[0] as SchemaTree;
  return at;
}

/** Every leaf below a node, with its path from the root. */
export function leavesOf(root: SchemaTree, node: SchemaTree): SchemaTree[][] {
  const out: SchemaTree[][] = [];
  const walk = (at: SchemaTree, path: SchemaTree[]) => {
    if (at.children.length === 0) out.push(path);
    for (const child of at.children) walk(child, [...path, child]);
  };
  walk(node, [root, node]);
  return out;
}

export type { FileMetaData };
