// A local ESLint rule that keeps imports flowing toward `core/` (house style §2).
//
// Each top-level folder is a layer. `core/` imports only itself; each program (hub, gateway,
// agent) imports itself and `core/`; programs never import each other. The CLI may also use
// the local fleet in `test/fleet/` (for `flotilla fleet ...`). Tests and benchmarks may import
// anything. Only relative imports are checked: packages from node_modules are always allowed.
import path from "node:path";

/** Which layers each layer may import (itself included). Unlisted folders are unrestricted. */
export const allowedImports = {
  core: ["core"],
  hub: ["hub", "core"],
  gateway: ["gateway", "core"],
  agent: ["agent", "core"],
  cli: ["cli", "core", "test/fleet"],
};

/** The layer of a repository-relative path: its top folder, or `test/fleet` for the fleet. */
export function layerOf(relativePath) {
  const parts = relativePath.split(path.sep).join("/").split("/");
  if (parts[0] === "test" && parts[1] === "fleet") return "test/fleet";
  return parts.length > 1 ? (parts[0] ?? "") : "";
}

/**
 * Returns a message when a file at `fromFile` may not import `toFile` (both absolute, under
 * `root`), or undefined when the import is allowed.
 */
export function layeringViolation(root, fromFile, toFile) {
  const from = layerOf(path.relative(root, fromFile));
  const to = layerOf(path.relative(root, toFile));
  const allowed = allowedImports[from];
  if (allowed === undefined || allowed.includes(to)) return undefined;
  return `${from}/ may not import from ${to || "the repository root"}/ (allowed: ${allowed.join(", ")})`;
}

/** @type {import("eslint").Rule.RuleModule} */
export const layeringRule = {
  meta: {
    type: "problem",
    docs: { description: "keep imports flowing toward core/; programs never import each other" },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== "string" || !source.startsWith(".")) return;
      const target = path.resolve(path.dirname(context.filename), source);
      const message = layeringViolation(root, context.filename, target);
      if (message !== undefined) context.report({ node: node.source, message });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { layering: layeringRule } };
