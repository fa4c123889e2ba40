/**
 * The one scanner of CUE source text in Flotilla (pure): a tokenizer just detailed enough to
 * follow CUE's structure, used to cut a definition file's blocks (engine/oam/cue-scan.ts) and
 * to attach comments to fields (engine/render/cue-outline.ts). It yields brackets, labels,
 * `:` and `,`, line ends (CUE ends declarations at line ends, as Go does) and `//` comments,
 * each with its line and offset. Strings of every form (`"…"`, `'…'`, `"""…"""`, `'''…'''`, and
 * the raw forms with any number of `#`: `#"…"#`, `##"…"##`, `#"""…"""#`) are single tokens,
 * escapes and interpolations `\(…)` included, so no bracket inside a string or a comment
 * counts. Total: malformed text still yields tokens, never an error.
 */

export interface Token {
  readonly kind:
    "ident" | "string" | "number" | "op" | "open" | "close" | "comment" | "newline" | "eof";
  readonly text: string;
  /** 1-based line where the token starts. */
  readonly line: number;
  /** Index in the source where the token starts. */
  readonly offset: number;
  /** True when nothing but blanks precedes the token on its line. */
  readonly first: boolean;
  /** For strings: whether it contains an interpolation `\(…)`. */
  readonly interpolated?: boolean;
}

const IDENT_START = /[A-Za-z_$#]/;
const IDENT_PART = /[\w$#]/;
const OPERATOR = /[=!<>&|*+\-%^~/]/;

/** The tokens of `src`, ending with one `eof` token. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let first = true;
  for (let i = 0; i < src.length;) {
    const ch = src[i] ?? "";
    if (ch === " " || ch === "\t" || ch === "\r") {
      i++;
      continue;
    }
    const { kind, end, interpolated } = next(src, i);
    const text = src.slice(i, end);
    tokens.push({ kind, text, line, offset: i, first, ...(interpolated ? { interpolated } : {}) });
    line += countNewlines(text);
    first = kind === "newline";
    i = end;
  }
  tokens.push({ kind: "eof", text: "", line, offset: src.length, first: true });
  return tokens;
}

interface Lexeme {
  readonly kind: Token["kind"];
  readonly end: number;
  readonly interpolated?: boolean;
}

type Rule = (src: string, i: number) => Lexeme | undefined;

/** Tried in order; the first that matches at `i` makes the token. */
const RULES: readonly Rule[] = [
  (src, i) => (src[i] === "\n" ? { kind: "newline", end: i + 1 } : undefined),
  (src, i) => (src.startsWith("//", i) ? { kind: "comment", end: lineEnd(src, i) } : undefined),
  (src, i) => (isStringStart(src, i) ? readString(src, i) : undefined),
  (src, i) => (src.startsWith("_|_", i) ? { kind: "ident", end: i + 3 } : undefined),
  (src, i) => (src.startsWith("...", i) ? { kind: "op", end: i + 3 } : undefined),
  (src, i) =>
    IDENT_START.test(src[i] ?? "")
      ? { kind: "ident", end: scanWhile(src, i + 1, IDENT_PART) }
      : undefined,
  (src, i) =>
    /^\.?\d/.test(src.slice(i, i + 2))
      ? { kind: "number", end: scanWhile(src, i + 1, /[\w.]/) }
      : undefined,
  (src, i) => ("{[(".includes(src[i] ?? "_") ? { kind: "open", end: i + 1 } : undefined),
  (src, i) => ("}])".includes(src[i] ?? "_") ? { kind: "close", end: i + 1 } : undefined),
  (src, i) =>
    OPERATOR.test(src[i] ?? "")
      ? { kind: "op", end: scanWhile(src, i + 1, OPERATOR, "//") }
      : undefined,
];

function next(src: string, i: number): Lexeme {
  for (const rule of RULES) {
    const lexeme = rule(src, i);
    if (lexeme !== undefined) return lexeme;
  }
  return { kind: "op", end: i + 1 };
}

/** Advances while characters match `pattern` (and `stop` does not start there). */
function scanWhile(src: string, i: number, pattern: RegExp, stop?: string): number {
  let j = i;
  while (j < src.length && pattern.test(src[j] ?? "") && !(stop && src.startsWith(stop, j))) j++;
  return j;
}

function lineEnd(src: string, i: number): number {
  const end = src.indexOf("\n", i);
  return end === -1 ? src.length : end;
}

function countNewlines(text: string): number {
  let count = 0;
  for (const ch of text) if (ch === "\n") count++;
  return count;
}

function hashesAt(src: string, i: number): number {
  let j = i;
  while (src[j] === "#") j++;
  return j - i;
}

function isStringStart(src: string, i: number): boolean {
  const quote = src[i + hashesAt(src, i)];
  return quote === '"' || quote === "'";
}

/**
 * A string starting at `i`: `#`s, then one or three quotes, up to the same quotes followed by
 * the same number of `#`s. A backslash followed by those `#`s escapes; `\(` (or `\#(` in a
 * raw string) opens an interpolation. A one-line string also stops at a line end, so an
 * unterminated quote cannot swallow the rest of the file.
 */
function readString(src: string, i: number): Lexeme {
  const hashes = "#".repeat(hashesAt(src, i));
  const quote = src[i + hashes.length] ?? '"';
  const triple = src.startsWith(quote.repeat(3), i + hashes.length);
  const close = (triple ? quote.repeat(3) : quote) + hashes;
  let interpolated = false;
  let j = i + hashes.length + (triple ? 3 : 1);
  while (j < src.length && !src.startsWith(close, j)) {
    if (!triple && src[j] === "\n") return { kind: "string", end: j, interpolated };
    const step = stringStep(src, j, hashes);
    interpolated ||= step.interpolation;
    j = step.next;
  }
  return { kind: "string", end: Math.min(j + close.length, src.length), interpolated };
}

/** One character of a string body, or one escape, or one whole interpolation. */
function stringStep(
  src: string,
  j: number,
  hashes: string,
): { next: number; interpolation: boolean } {
  if (src[j] !== "\\" || !src.startsWith(hashes, j + 1))
    return { next: j + 1, interpolation: false };
  const after = j + 1 + hashes.length;
  if (src[after] !== "(") return { next: after + 1, interpolation: false };
  return { next: skipInterpolation(src, after + 1), interpolation: true };
}

/** From just inside `\(`, the index after its matching `)`; strings inside are skipped. */
function skipInterpolation(src: string, i: number): number {
  let depth = 1;
  let j = i;
  while (j < src.length) {
    if (isStringStart(src, j) && src[j] !== "#") {
      j = readString(src, j).end;
      continue;
    }
    const ch = src[j];
    if (ch === "(") depth++;
    if (ch === ")" && --depth === 0) return j + 1;
    j++;
  }
  return j;
}
