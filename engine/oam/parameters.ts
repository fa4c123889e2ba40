/**
 * The parameters a definition accepts, read from its template's `parameter: { … }` block
 * (pure, text-based so that `// +usage=` doc comments survive): name, whether it is
 * required, its default, its type as written, and its usage text. Used by `flotilla def list`
 * and to generate docs/definitions.md.
 */
import { matchingBrace, topLevelBlock } from "./cue-scan.js";

export interface ParameterDoc {
  readonly name: string;
  readonly required: boolean;
  readonly type: string;
  readonly default?: string;
  readonly usage?: string;
}

const fieldLine = /^\s*("[^"]+"|[A-Za-z_$][\w$-]*)(\?|!)?\s*:\s*(.*)$/;

/** Top-level parameters of a template; `[]` when it declares none or a non-struct one. */
export function templateParameters(template: string): ParameterDoc[] {
  const block = topLevelBlock(template, "parameter");
  if (block === undefined) return [];
  const body = template.slice(block.open + 1, block.close);
  const docs: ParameterDoc[] = [];
  let usage: string | undefined;
  let i = 0;
  while (i < body.length) {
    const end = lineEnd(body, i);
    const line = body.slice(i, end);
    const usageMatch = /^\s*\/\/\s*\+usage=(.*)$/.exec(line);
    const field = line.trim().startsWith("//") ? null : fieldLine.exec(line);
    if (usageMatch !== null) usage = usageMatch[1]?.trim();
    if (field !== null) {
      docs.push(describeField(field, usage));
      usage = undefined;
    }
    i = field === null ? end + 1 : nextFieldStart(body, i, line);
  }
  return docs;
}

const lineEnd = (text: string, from: number): number => {
  const end = text.indexOf("\n", from);
  return end === -1 ? text.length : end;
};

/** After a field line, skips the field's nested `{ … }` block when the line opens one. */
function nextFieldStart(body: string, lineStart: number, line: string): number {
  const open = line.lastIndexOf("{");
  const close = open === -1 || line.includes("}") ? -1 : matchingBrace(body, lineStart + open);
  return (close === -1 ? lineEnd(body, lineStart) : lineEnd(body, close)) + 1;
}

/** Splits `*default | rest` into the default and the type to show. */
function typeAndDefault(value: string): { type: string; default?: string } {
  const match = /^\*\s*("[^"]*"|[^|\s]+)\s*\|\s*(.*)$/.exec(value);
  if (match === null) return { type: simplifyType(value) };
  const [, def = "", rest = ""] = match;
  // An enumeration with a default (`*"a" | "b"`) keeps the default among its values.
  const type = simplifyType(rest.startsWith('"') ? `${def} | ${rest}` : rest);
  return { type, default: def };
}

function describeField(match: RegExpExecArray, usage: string | undefined): ParameterDoc {
  const name = (match[1] ?? "").replace(/^"|"$/g, "");
  const value = (match[3] ?? "").replace(/\s*\/\/.*$/, "").trim();
  const { type, default: def } = typeAndDefault(value);
  // Open lists and maps export as empty when not given, so they are never required.
  const required = match[2] !== "?" && def === undefined && !/^\[(\.\.\.|string\]:)/.test(type);
  return {
    name,
    required,
    type,
    ...(def === undefined ? {} : { default: def }),
    ...(usage === undefined ? {} : { usage }),
  };
}

function simplifyType(value: string): string {
  if (value.startsWith("{")) return "object";
  if (/^\[\.\.\.\s*\{/.test(value)) return "[...object]";
  return value.replace(/\s*\{$/, " {…}");
}
