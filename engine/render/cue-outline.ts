/**
 * The outline of a CUE file, read from its text (pure and total): the label path of every
 * field that has a doc comment, with that comment, and every place where a value refers to
 * another field by name. cue-wasm's AST drops comments, which is why this exists.
 *
 * Which field a comment documents follows CUE's parser, as observed through KubeVela:
 * - a comment group (consecutive `//` lines, each alone on its line) documents the field
 *   that starts on the next line; a blank line, a comment after code on the same line, or a
 *   declaration that is not a field (`if`, `for`, `let`, an embedding) ends the group unused;
 * - with the `a: b: c:` shorthand it documents the innermost label, so the path is `a.b.c`;
 * - `if`/`for` bodies add no label; list elements add `[*]`; labels only known at evaluation
 *   (`"\(k)"`, `(expr)`, `[pattern]`) become `*`; a `let x = …` is followed as if it were a
 *   field labelled `let x`, so that references to it can be resolved.
 */
import { tokenize, type Token } from "../cue/lexer.js";

/** The path segment for "every element of this list". */
export const ELEMENT = "[*]";
/** The path segment for a label only known at evaluation time. */
export const ANY_LABEL = "*";

export interface CommentedField {
  /** Labels from the file's top level to the field. */
  readonly segments: readonly string[];
  /** The comment group's lines, `//` included. */
  readonly comments: readonly string[];
  /** 1-based line of the field's (innermost) label. */
  readonly line: number;
}

/** A value at `at` that names another field: `Helper` or `Helper.sub` (as `name`). */
export interface Reference {
  readonly at: readonly string[];
  readonly name: readonly string[];
}

export interface Outline {
  readonly fields: CommentedField[];
  readonly references: Reference[];
  /** Every declared path (fields, and lets as LET + name), as `JSON.stringify(segments)`. */
  readonly declared: ReadonlySet<string>;
}

/** The segment prefix that marks a `let` binding, which is in scope but never output. */
export const LET = "let ";

export function outlineCue(src: string): Outline {
  const walker: Walker = {
    tokens: tokenize(src),
    pos: 0,
    fields: [],
    references: [],
    declared: new Set(),
  };
  scanStruct(walker, [], false);
  return { fields: walker.fields, references: walker.references, declared: walker.declared };
}

interface Walker {
  readonly tokens: readonly Token[];
  pos: number;
  readonly fields: CommentedField[];
  readonly references: Reference[];
  readonly declared: Set<string>;
}

type Path = readonly string[];

const peek = (w: Walker, ahead = 0): Token =>
  w.tokens[w.pos + ahead] ?? { kind: "eof", text: "", line: 0, offset: 0, first: true };
const is = (t: Token, kind: Token["kind"], text?: string): boolean =>
  t.kind === kind && (text === undefined || t.text === text);

/** Declarations of a struct body (or of the file) up to its closing `}`. */
function scanStruct(w: Walker, path: Path, braced: boolean): void {
  let comments: string[] = [];
  let afterNewline = false;
  for (let t = peek(w); !is(t, "eof"); t = peek(w)) {
    w.pos++;
    if (is(t, "close")) {
      if (braced) return;
      continue; // a stray bracket at the top level: keep reading
    }
    if (is(t, "newline")) {
      if (afterNewline) comments = []; // a blank line ends a comment group
      afterNewline = true;
      continue;
    }
    afterNewline = false;
    if (is(t, "comment")) comments = t.first ? [...comments, t.text] : comments;
    else if (!is(t, "op", ",")) {
      w.pos--;
      scanDeclaration(w, path, comments);
      comments = [];
    }
  }
}

function scanDeclaration(w: Walker, path: Path, comments: readonly string[]): void {
  if (isClause(w)) return scanComprehension(w, path);
  if (is(peek(w), "ident", "let") && is(peek(w, 1), "ident") && is(peek(w, 2), "op", "=")) {
    const binding = [...path, `${LET}${peek(w, 1).text}`];
    w.pos += 3;
    w.declared.add(JSON.stringify(binding));
    return scanExpression(w, binding); // a let is no field: its comment documents nothing
  }
  const chain = readLabelChain(w);
  if (chain === undefined) return scanExpression(w, path);
  const segments = [...path, ...chain.labels];
  chain.labels.forEach((_, i) =>
    w.declared.add(JSON.stringify(segments.slice(0, path.length + i + 1))),
  );
  if (comments.length > 0) w.fields.push({ segments, comments, line: chain.line });
  scanExpression(w, segments);
}

/** `if` or `for` starting a comprehension (not a field that happens to be named so). */
function isClause(w: Walker): boolean {
  const t = peek(w);
  return is(t, "ident") && (t.text === "if" || t.text === "for") && !is(peek(w, 1), "op", ":");
}

/** Skips the clauses; the body's fields belong to `path`, as if written without them. */
function scanComprehension(w: Walker, path: Path): void {
  for (let t = peek(w); !is(t, "eof") && !is(t, "close"); t = peek(w)) {
    if (is(t, "open", "{")) {
      w.pos++;
      return scanStruct(w, path, true);
    }
    if (is(t, "open")) skipBalanced(w);
    else w.pos++;
  }
}

/** `a: b: c:` (one label or more, each followed by `:`), or undefined with nothing consumed. */
function readLabelChain(w: Walker): { labels: string[]; line: number } | undefined {
  const labels: string[] = [];
  let line = peek(w).line;
  for (let label = readLabel(w); label !== undefined; label = readLabel(w)) {
    labels.push(label.name);
    line = label.line;
    while (is(peek(w), "newline")) w.pos++;
  }
  return labels.length === 0 ? undefined : { labels, line };
}

function readLabel(w: Walker): { name: string; line: number } | undefined {
  const start = w.pos;
  if (is(peek(w), "ident") && is(peek(w, 1), "op", "=")) w.pos += 2; // an alias `X=label:`
  const line = peek(w).line;
  const name = labelName(w, peek(w));
  if (name !== undefined && (is(peek(w), "op", "?") || is(peek(w), "op", "!"))) w.pos++;
  if (name !== undefined && is(peek(w), "op", ":")) {
    w.pos++;
    return { name, line };
  }
  w.pos = start;
  return undefined;
}

/** Consumes one label and returns its name, or returns undefined. */
function labelName(w: Walker, t: Token): string | undefined {
  if (is(t, "ident") || is(t, "string")) {
    w.pos++;
    return t.kind === "ident" ? t.text : stringLabel(t);
  }
  if (is(t, "open", "[") || is(t, "open", "(")) {
    skipBalanced(w);
    return ANY_LABEL;
  }
  return undefined;
}

function stringLabel(t: Token): string {
  if (t.interpolated === true) return ANY_LABEL;
  const bare = t.text.replace(/^#+/, "").replace(/#+$/, "");
  try {
    return JSON.parse(bare) as string;
  } catch {
    return bare.slice(1, -1);
  }
}

/** Skips from an opening bracket to its match, whatever the kinds of bracket inside. */
function skipBalanced(w: Walker): void {
  let depth = 0;
  for (let t = peek(w); !is(t, "eof"); t = peek(w)) {
    w.pos++;
    if (is(t, "open")) depth++;
    if (is(t, "close") && --depth === 0) return;
  }
}

/**
 * One expression, up to the `,` or line end that ends it (a line ending in an operator goes
 * on), or to the bracket that closes the enclosing block. Structs inside it are fields of
 * `path`; lists add an element segment; names it uses are recorded as references.
 */
function scanExpression(w: Walker, path: Path): void {
  let last: Token | undefined; // the last token that is neither a line end nor a comment
  for (let t = peek(w); !endsExpression(t, last); t = peek(w)) {
    w.pos++;
    if (is(t, "newline") || is(t, "comment")) continue;
    if (is(t, "open")) scanNested(w, t.text, path);
    else if (is(t, "ident") && last?.text !== ".") reference(w, t, path);
    last = t;
  }
}

/** A `,` or a closing bracket ends it; so does a line end after an operand (not an operator). */
function endsExpression(t: Token, last: Token | undefined): boolean {
  if (is(t, "eof") || is(t, "close") || is(t, "op", ",")) return true;
  return is(t, "newline") && last !== undefined && (last.kind !== "op" || last.text === "...");
}

/** Records `name` or `name.sub.field` (the selectors are consumed too). */
function reference(w: Walker, first: Token, at: readonly string[]): void {
  const name = [first.text];
  while (is(peek(w), "op", ".") && is(peek(w, 1), "ident")) {
    name.push(peek(w, 1).text);
    w.pos += 2;
  }
  w.references.push({ at, name });
}

function scanNested(w: Walker, open: string, path: Path): void {
  if (open === "{") return scanStruct(w, path, true);
  if (open === "[") return scanList(w, [...path, ELEMENT]);
  scanList(w, path); // the arguments of a call, or a parenthesised expression
}

/** List elements (or parenthesised expressions) up to the closing bracket. */
function scanList(w: Walker, path: Path): void {
  for (let t = peek(w); !is(t, "eof"); t = peek(w)) {
    if (is(t, "close")) {
      w.pos++;
      return;
    }
    if (is(t, "newline") || is(t, "comment") || is(t, "op", ",")) w.pos++;
    else if (isClause(w)) scanComprehension(w, path);
    else scanExpression(w, path);
  }
}
