/**
 * Builds the CUE program that evaluates one X-Definition template (pure).
 *
 * KubeVela templates refer to `context` and `parameter` at their top level. The template is
 * placed inside a hidden field `_t` with `context` filled in, the user's properties are
 * unified with `_t.parameter`, and only the fields the caller asks for (`output`, `outputs`,
 * `patch`, …) are selected into regular fields, so the rest of the template may stay
 * incomplete without failing the export. `import` clauses are hoisted to the top of the file,
 * where CUE requires them; a `package` clause is dropped.
 */

export interface TemplateProgramInput {
  /** The template body (what follows `template:` in a definition, without the braces). */
  readonly template: string;
  /** The user's properties, unified with the template's `parameter`. */
  readonly parameter: unknown;
  /** KubeVela's `context` (name, namespace, appName, output, …). */
  readonly context: Record<string, unknown>;
  /** Top-level template fields to export, when present. */
  readonly select: readonly string[];
  /** File-level declarations placed after the imports (e.g. stand-ins for packages). */
  readonly prelude?: string;
  /** Declare `parameter` as an open struct (for snippets, such as health policies, that use
   * parameters without declaring them). */
  readonly openParameter?: boolean;
}

export interface SplitImports {
  readonly imports: string[];
  readonly body: string;
}

const importLine = /^\s*import\s+(?:(?:[\w.]+\s+)?"[^"]+"|\(.*\))\s*$/;
const importBlockStart = /^\s*import\s*\(\s*$/;

/** Separates `import` clauses (single and parenthesised) from the rest of a CUE source. */
export function splitImports(source: string): SplitImports {
  const imports: string[] = [];
  const body: string[] = [];
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (importLine.test(line)) imports.push(line.trim());
    else if (importBlockStart.test(line)) {
      const end = lines.findIndex((l, j) => j > i && l.trim() === ")");
      const stop = end === -1 ? lines.length : end;
      imports.push(...lines.slice(i, stop + 1).map((l) => l.trim()));
      i = stop;
    } else if (!/^\s*package\s+\w+\s*$/.test(line)) body.push(line);
  }
  return { imports, body: body.join("\n") };
}

// No properties leave `parameter` as the template declares it (defaults apply, required
// fields stay missing), as KubeVela does; this also lets `parameter: null` templates work.
const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);

/** The whole program for one template evaluation. */
export function templateProgram(input: TemplateProgramInput): string {
  const { imports, body } = splitImports(input.template);
  const selected = input.select.map((f) => `if _t.${f} != _|_ { ${f}: _t.${f} }`);
  return [
    ...imports,
    input.prelude ?? "",
    "_t: {",
    `context: ${JSON.stringify(input.context)}`,
    ...(input.openParameter === true ? ["parameter: {...}"] : []),
    body,
    "}",
    ...(isEmpty(input.parameter) ? [] : [`_t: parameter: ${JSON.stringify(input.parameter)}`]),
    ...selected,
    "",
  ].join("\n");
}

/** A program that exports only the unified parameter, to explain a failed evaluation. */
export function parameterProgram(input: Omit<TemplateProgramInput, "select">): string {
  return templateProgram({ ...input, select: [] }) + "parameter: _t.parameter\n";
}
