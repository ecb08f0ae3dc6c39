/**
 * Streaming UTF-8 decoding that keeps track of bytes that are not UTF-8. TextDecoder would turn them into U+FFFD,
 * which a file may also hold as a real character, so a record with a lost byte could not be told from a good one
 * and would reach the output altered. Here each invalid sequence becomes {@link NOT_UTF8}, a lone surrogate that
 * no valid UTF-8 decodes to; the parsers make any record holding one a dead letter, with its line.
 */
import { NOT_UTF8 } from "./record-parser.js";

export interface Utf8Decoder {
  /** The text of `bytes`; a sequence cut at the end is held back for the next call. */
  decode(bytes: Uint8Array): string;
  /** The text of whatever was held back: an incomplete sequence at the end of the file is not UTF-8. */
  end(): string;
}

export function utf8Decoder(): Utf8Decoder {
  // fatal: any invalid byte throws, which sends the chunk to the slow path. ignoreBOM: keep a BOM as U+FEFF, as
  // each call decodes on its own and would otherwise drop one at the start of every chunk; the parsers drop the
  // one at the start of the file.
  const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let held: Uint8Array = new Uint8Array(0);

  function text(bytes: Uint8Array): string {
    try {
      return strict.decode(bytes);
    } catch {
      return decodeMarkingInvalid(bytes, strict);
    }
  }

  return {
    decode(chunk) {
      const bytes = held.length === 0 ? chunk : concat(held, chunk);
      const cut = incompleteTail(bytes);
      held = bytes.slice(cut);
      return text(bytes.subarray(0, cut));
    },
    end() {
      const rest = held;
      held = new Uint8Array(0);
      return rest.length === 0 ? "" : text(rest);
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Length of a sequence by its lead byte; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Where a multi-byte sequence that the chunk cuts short begins (the chunk's length when none is). */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 3; i--) {
    const b = bytes[i] as number;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = sequenceLength(b);
    return length > 1 && i + length > n ? i : n;
  }
  return n;
}

/**
 * The slow path, for a chunk known to hold invalid bytes: valid runs are decoded as they are, and each maximal
 * invalid subsequence (as the WHATWG decoder delimits them) becomes one NOT_UTF8.
 */
function decodeMarkingInvalid(bytes: Uint8Array, strict: { decode(bytes: Uint8Array): string }): string {
  let out = "";
  let runStart = 0;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const valid = validSequence(bytes, i);
    if (valid > 0) {
      i += valid;
      continue;
    }
    if (i > runStart) out += strict.decode(bytes.subarray(runStart, i));
    out += NOT_UTF8;
    i += -valid;
    runStart = i;
  }
  if (n > runStart) out += strict.decode(bytes.subarray(runStart, n));
  return out;
}

/** The length of the valid sequence at `i`, or minus the length of the invalid bytes to skip there. */
function validSequence(bytes: Uint8Array, i: number): number {
  const lead = bytes[i] as number;
  const length = sequenceLength(lead);
  if (length === 1) return 1;
  if (length === 0) return -1;
  // The second byte's range depends on the lead: no overlong forms, no surrogates, nothing past U+10FFFF.
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  for (let k = 1; k < length; k++) {
    const b = bytes[i + k];
    const ok = b !== undefined && (k === 1 ? b >= low && b <= high : (b & 0xc0) === 0x80);
    if (!ok) return -k;
  }
  return length;
}
