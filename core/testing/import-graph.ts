/**
 * The import graph of a program as its compiled JavaScript will load it (with
 * `verbatimModuleSyntax`, only `import type` and `export type` disappear), for tests that
 * keep heavy packages out of a process: the gateway's and the agent's `runtime-imports.test.ts`
 * check that `@kubernetes/client-node` (65-74 MiB), `cue-wasm` and the engine stay out.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

const text = (literal: ts.Expression | undefined): string | undefined =>
  literal !== undefined && ts.isStringLiteral(literal) ? literal.text : undefined;

/** The specifier of a value import or re-export (`import type` / `export type` load nothing). */
function declarationSpecifier(node: ts.Node): string | undefined {
  if (ts.isImportDeclaration(node))
    return node.importClause?.isTypeOnly ? undefined : text(node.moduleSpecifier);
  if (ts.isExportDeclaration(node)) return node.isTypeOnly ? undefined : text(node.moduleSpecifier);
  return undefined;
}

/** The specifier `node` loads at run time, if it is an import, a re-export or `import()`. */
function specifierOf(node: ts.Node): string | undefined {
  const isDynamic =
    ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword;
  return isDynamic ? text(node.arguments[0]) : declarationSpecifier(node);
}

/** Module specifiers `file` loads at run time. */
export function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    const specifier = specifierOf(node);
    if (specifier !== undefined) out.push(specifier);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

export interface ImportGraph {
  /** Every repository file reachable from the entry (absolute `.ts` paths). */
  readonly files: Set<string>;
  /** Each package reached, with the files that import it. */
  readonly packages: Map<string, string[]>;
}

/** The files and packages `entry` loads at run time, directly or not. */
export function importGraph(entry: string): ImportGraph {
  const files = new Set<string>();
  const packages = new Map<string, string[]>();
  const walk = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of runtimeSpecifiers(file)) {
      if (specifier.startsWith(".")) {
        walk(path.resolve(path.dirname(file), specifier).replace(/\.js$/, ".ts"));
      } else {
        packages.set(specifier, [...(packages.get(specifier) ?? []), file]);
      }
    }
  };
  walk(entry);
  return { files, packages };
}

/** The files of `graph` under `folder` (absolute), relative to `root`. */
export function filesUnder(graph: ImportGraph, folder: string, root: string): string[] {
  const prefix = folder.endsWith(path.sep) ? folder : folder + path.sep;
  return [...graph.files].filter((f) => f.startsWith(prefix)).map((f) => path.relative(root, f));
}

/** The files of `graph` that import `pkg` (or one of its subpaths), relative to `root`. */
export function importersOf(graph: ImportGraph, pkg: string, root: string): string[] {
  return [...graph.packages]
    .filter(([name]) => name === pkg || name.startsWith(`${pkg}/`))
    .flatMap(([, importers]) => importers.map((f) => path.relative(root, f)));
}
