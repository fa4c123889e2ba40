/**
 * Brace blocks of CUE source text (pure), read from the one CUE tokenizer
 * (engine/cue/lexer.ts), so a bracket inside any string form (raw `#"…"#` and multi-line
 * ones included) or a comment never counts. cue-wasm's AST carries no positions, so splitting
 * a KubeVela `.cue` definition file into its header and its `template:` body, or finding a
 * template's `parameter:` block, is done on the text.
 */
import { tokenize, type Token } from "../cue/lexer.js";

/** A `{ … }` block of the source, by the indexes of its braces. */
export interface Block {
  /** Index of the opening `{`. */
  readonly open: number;
  /** Index of the matching `}`. */
  readonly close: number;
}

const isBrace = (t: Token | undefined, brace: "{" | "}"): boolean =>
  t !== undefined && t.kind === (brace === "{" ? "open" : "close") && t.text === brace;

/** Index (in `tokens`) of the `}` closing the `{` at `tokens[from]`, or -1 when unbalanced. */
function closingToken(tokens: readonly Token[], from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    if (isBrace(tokens[i], "{")) depth++;
    else if (isBrace(tokens[i], "}") && --depth === 0) return i;
  }
  return -1;
}

/** Index of the `}` matching the `{` at `open`, or -1 when unbalanced. */
export function matchingBrace(src: string, open: number): number {
  const tokens = tokenize(src.slice(open));
  const close = closingToken(tokens, 0);
  return close === -1 ? -1 : open + (tokens[close]?.offset ?? 0);
}

/** Index of the first token from `i` that is not a line end. */
function skipNewlines(tokens: readonly Token[], i: number): number {
  let j = i;
  while (tokens[j]?.kind === "newline") j++;
  return j;
}

/** The index of the `{` when `tokens[i]` starts `label: {` (line ends allowed after `:`). */
function blockOpening(tokens: readonly Token[], i: number, label: string): number | undefined {
  const [name, colon] = [tokens[i], tokens[i + 1]];
  if (name?.kind !== "ident" || name.text !== label || colon?.text !== ":") return undefined;
  const open = skipNewlines(tokens, i + 2);
  return isBrace(tokens[open], "{") ? open : undefined;
}

const depthChange = (t: Token | undefined): number =>
  t?.kind === "open" ? 1 : t?.kind === "close" ? -1 : 0;

/** Index (in `tokens`) of the `{` of the first `label: {` outside every bracket. */
function topLevelOpening(tokens: readonly Token[], label: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const open = depth === 0 ? blockOpening(tokens, i, label) : undefined;
    if (open !== undefined) return open;
    depth += depthChange(tokens[i]);
  }
  return undefined;
}

/**
 * The block of the top-level field `label: { … }` (outside every bracket), or undefined when
 * there is none or it is not closed.
 */
export function topLevelBlock(src: string, label: string): Block | undefined {
  const tokens = tokenize(src);
  const open = topLevelOpening(tokens, label);
  const close = open === undefined ? -1 : closingToken(tokens, open);
  const [first, last] = [tokens[open ?? -1], tokens[close]];
  return first === undefined || last === undefined
    ? undefined
    : { open: first.offset, close: last.offset };
}
