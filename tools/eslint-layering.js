// A local ESLint rule that keeps imports flowing toward `core/` (house style §2).
//
// Each top-level folder is a layer, and a layer imports only itself and the layers listed for
// it, with no exceptions for single files:
//
//   core                 the kernel: errors, JSON, config, controller runtime, cluster
//                        registry, Kubernetes access, installers
//   engine  -> core      the application engine: OAM model, CUE, render, policies, workflow,
//                        revisions (pure)
//   fleet   -> core      the local fleet of real clusters; it starts the programs by path
//   hub     -> engine, core
//   cli     -> engine, core, fleet
//   gateway -> core
//   agent   -> core
//
// Programs never import each other. Tests, benchmarks and tools may import anything. Only
// relative imports are checked: packages from node_modules are always allowed.
import path from "node:path";

/** Which layers each layer may import (itself included). Unlisted folders are unrestricted. */
export const allowedImports = {
  core: ["core"],
  engine: ["engine", "core"],
  fleet: ["fleet", "core"],
  hub: ["hub", "engine", "core"],
  cli: ["cli", "engine", "core", "fleet"],
  gateway: ["gateway", "core"],
  agent: ["agent", "core"],
};

/** The layer of a repository-relative path: its top folder ("" for a file at the root). */
export function layerOf(relativePath) {
  const parts = relativePath.split(path.sep).join("/").split("/");
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
