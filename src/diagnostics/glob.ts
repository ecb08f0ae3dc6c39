/**
 * The file globs of `.clueignore.yaml`: `**` matches any characters, `*` any characters but `/`, everything else
 * itself (`?`, `[` and `{` included), and the glob must match the whole path.
 *
 * These are the semantics of the regular expression clue used to build (`**` → `.*`, `*` → `[^/]*`), but that
 * regular expression backtracked: `*a*a*a*a*a*a*b` against a long path took hours. The glob is matched here by
 * simulating all its positions at once over the path (a Thompson NFA), so a match costs at most
 * path length × glob length steps, whatever the glob.
 */
export type GlobMatcher = (path: string) => boolean;

const Kind = {
  Literal: 0,
  /** `*`: any run of characters other than `/`. */
  Star: 1,
  /** `**`: any run of characters other than line breaks (the `.` of the former regular expression). */
  GlobStar: 2,
} as const;

interface Token {
  kind: (typeof Kind)[keyof typeof Kind];
  char: number;
}

const SLASH = 0x2f;

export function compileGlob(glob: string): GlobMatcher {
  const tokens = tokenize(glob);
  const size = tokens.length + 1;
  // Positions in the glob that the path read so far can have reached; stars reach past themselves for free.
  const close = (set: Uint8Array): void => {
    for (let s = 0; s < tokens.length; s++)
      if (set[s] && (tokens[s] as Token).kind !== Kind.Literal) set[s + 1] = 1;
  };
  return (path) => {
    let current = new Uint8Array(size);
    let next = new Uint8Array(size);
    current[0] = 1;
    close(current);
    for (let i = 0; i < path.length; i++) {
      const c = path.charCodeAt(i);
      next.fill(0);
      let alive = false;
      for (let s = 0; s < tokens.length; s++) {
        if (!current[s]) continue;
        const token = tokens[s] as Token;
        if (token.kind === Kind.Literal) {
          if (token.char === c) {
            next[s + 1] = 1;
            alive = true;
          }
        } else if (token.kind === Kind.Star ? c !== SLASH : !isLineTerminator(c)) {
          next[s] = 1;
          alive = true;
        }
      }
      if (!alive) return false;
      close(next);
      [current, next] = [next, current];
    }
    return current[tokens.length] === 1;
  };
}

/** `**` is read before `*`, left to right, as the former `replaceAll("**")` then `replaceAll("*")` did. */
function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charCodeAt(i);
    if (c === 0x2a && glob.charCodeAt(i + 1) === 0x2a) {
      tokens.push({ kind: Kind.GlobStar, char: c });
      i++;
    } else tokens.push({ kind: c === 0x2a ? Kind.Star : Kind.Literal, char: c });
  }
  return tokens;
}

function isLineTerminator(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}
