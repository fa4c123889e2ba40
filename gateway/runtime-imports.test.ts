/**
 * The gateway's process must not load `@kubernetes/client-node` (about 65 MiB of memory): this
 * walks the import graph of `gateway/main.ts` as the compiled JavaScript will load it (with
 * `verbatimModuleSyntax`, only `import type` and `export type` disappear) and lists the
 * packages it reaches.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

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
function runtimeSpecifiers(file: string): string[] {
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

/** Every repository file reachable from `entry`, and the packages each package is imported by. */
function importGraph(entry: string): { files: Set<string>; packages: Map<string, string[]> } {
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

const here = import.meta.dirname;
const root = path.join(here, "..");

describe("the gateway's run-time imports", () => {
  it("do not include @kubernetes/client-node", () => {
    const { files, packages } = importGraph(path.join(here, "main.ts"));
    // The walk really covers the gateway (guards against a walker that finds nothing).
    expect(files).toContain(path.join(here, "start.ts"));
    expect(files).toContain(path.join(here, "registry", "secret-watch.ts"));
    expect(packages.has("express")).toBe(true);
    const offenders = (packages.get("@kubernetes/client-node") ?? []).map((f) =>
      path.relative(root, f),
    );
    expect(offenders).toEqual([]);
  });

  it("would notice client-node behind a value import (the check can fail)", () => {
    const { packages } = importGraph(path.join(root, "core", "controller", "informer.ts"));
    expect(packages.get("@kubernetes/client-node")).toEqual([
      path.join(root, "core", "controller", "informer.ts"),
    ]);
  });
});
