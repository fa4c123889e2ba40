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

function describeField(match: RegExpExecArray, usage: string | undefined): ParameterDoc {
  const name = (match[1] ?? "").replace(/^"|"$/g, "");
  const value = (match[3] ?? "").replace(/\s*\/\/.*$/, "").trim();
  const defaultMatch = /^\*\s*("[^"]*"|[^|\s]+)\s*\|\s*(.*)$/.exec(value);
  const type = simplifyType(defaultMatch?.[2] ?? value);
  const hasDefault = defaultMatch !== null;
  return {
    name,
    required: match[2] !== "?" && !hasDefault,
    type,
    ...(hasDefault ? { default: defaultMatch[1] } : {}),
    ...(usage === undefined ? {} : { usage }),
  };
}

function simplifyType(value: string): string {
  if (value.startsWith("{")) return "object";
  if (/^\[\.\.\.\s*\{/.test(value)) return "[...object]";
  return value.replace(/\s*\{$/, " {…}");
}
