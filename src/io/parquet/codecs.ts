/**
 * The compression codecs clue reads and writes Parquet pages in. Snappy goes through hysnappy (WebAssembly, three
 * to five times as fast as hyparquet's own JavaScript decoder); gzip and brotli through Node's own zlib (native);
 * zstd and the two LZ4 framings through hyparquet-compressors (pure JavaScript; Node 20's zlib has no zstd). LZO is the one codec of the
 * format left out: no current writer produces it, and a page in it is refused with the codec named. hyparquet
 * checks every page's decompressed size against its header.
 */
import type { Compressors } from "hyparquet";
import { decompressLz4, decompressLz4Raw, decompressZstd } from "hyparquet-compressors";
import { snappyCompressor, snappyUncompressor } from "hysnappy";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

/** The codecs read, as the documentation names them. */
export const READ_CODECS = ["uncompressed", "snappy", "gzip", "zstd", "brotli", "lz4", "lz4_raw"] as const;

export const decompressors: Compressors = {
  SNAPPY: snappyUncompressor(),
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
  ZSTD: (input) => decompressZstd(input),
  LZ4: decompressLz4,
  LZ4_RAW: decompressLz4Raw,
};

/** What clue writes with: snappy, the codec every Parquet reader has (Spark's and DuckDB's default too). */
export const compressSnappy: (input: Uint8Array) => Uint8Array = snappyCompressor();
