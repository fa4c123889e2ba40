/**
 * A small lexical scanner over CUE source text (pure): finds the brace block that follows a
 * top-level label, skipping strings (single-line, multi-line and raw `#"…"#`) and comments.
 * cue-wasm's AST carries no positions, so splitting a KubeVela `.cue` definition file into
 * its header and its `template:` body is done on the text.
 */

export interface Block {
  /** Index of the opening `{`. */
  readonly open: number;
  /** Index of the matching `}`. */
  readonly close: number;
}

/** Skips a string or comment starting at `i`; returns the index after it, or `i` if none. */
function skipNonCode(src: string, i: number): number {
  if (src.startsWith("//", i)) {
    const end = src.indexOf("\n", i);
    return end === -1 ? src.length : end;
  }
  for (const quote of ['"""', "'''", '"', "'"]) {
    if (!src.startsWith(quote, i)) continue;
    let j = i + quote.length;
    while (j < src.length && !src.startsWith(quote, j)) j += src[j] === "\\" ? 2 : 1;
    return Math.min(j + quote.length, src.length);
  }
  return i;
}

/** Index of the `}` matching the `{` at `open`, or -1 when unbalanced. */
export function matchingBrace(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const skipped = skipNonCode(src, i);
    if (skipped !== i) {
      i = skipped - 1;
      continue;
    }
    if (src[i] === "{") depth++;
    else if (src[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * The block of the top-level field `label: { … }` (depth 0, label at a line start), or
 * undefined when there is none.
 */
export function topLevelBlock(src: string, label: string): Block | undefined {
  let depth = 0;
  for (let i = 0; i < src.length; i++) {
    const skipped = skipNonCode(src, i);
    if (skipped !== i) {
      i = skipped - 1;
      continue;
    }
    depth += depthChange(src[i]);
    if (depth === 0 && startsLabel(src, i, label)) return blockAfter(src, i + label.length);
  }
  return undefined;
}

const depthChange = (ch: string | undefined): number =>
  ch === "{" || ch === "(" || ch === "[" ? 1 : ch === "}" || ch === ")" || ch === "]" ? -1 : 0;

function blockAfter(src: string, from: number): Block | undefined {
  const open = src.indexOf("{", from);
  const close = open === -1 ? -1 : matchingBrace(src, open);
  return close === -1 ? undefined : { open, close };
}

function startsLabel(src: string, i: number, label: string): boolean {
  if (i > 0 && !/[\n\s]/.test(src[i - 1] ?? "")) return false;
  const rest = src.slice(i, i + label.length + 40);
  return new RegExp(`^${label}\\s*:\\s*\\{`).test(rest);
}
