// The repository's real ESLint configuration catches a wrong import in every product folder:
// the layering rule applies everywhere, with no file or folder exempted.
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.join(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the existing file `file`, returning the layering messages. */
async function layeringMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "flotilla/layering")
    .map((m) => m.message);
}

describe("the repository's lint configuration", { timeout: 120_000 }, () => {
  it.each([
    ["agent/report.ts", "../engine/render/pool-placement.js", "agent/ may not import from engine/"],
    ["gateway/app.ts", "../engine/oam/types.js", "gateway/ may not import from engine/"],
    ["core/errors.ts", "../engine/render/render.js", "core/ may not import from engine/"],
    ["engine/render/render.ts", "../../hub/start.js", "engine/ may not import from hub/"],
    ["fleet/fleet.ts", "../cli/main.js", "fleet/ may not import from cli/"],
    ["cli/main.ts", "../hub/start.js", "cli/ may not import from hub/"],
    ["hub/start.ts", "../gateway/app.js", "hub/ may not import from gateway/"],
  ])("fails %s importing %s", async (file, target, message) => {
    const code = `import * as wrong from "${target}";\nexport const probe: unknown = wrong;\n`;
    const messages = await layeringMessages(file, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(message);
  });

  it.each(["gateway/app.ts", "agent/report.ts", "core/kube/client.ts", "engine/render/render.ts"])(
    "refuses a client-node value import in %s, and allows a type import",
    async (file) => {
      const [value] = await eslint.lintText(
        'import { KubeConfig } from "@kubernetes/client-node";\nexport const probe: unknown = KubeConfig;\n',
        { filePath: path.join(root, file) },
      );
      const rules = (value?.messages ?? []).map((m) => m.ruleId);
      expect(rules).toContain("@typescript-eslint/no-restricted-imports");
      const [typeOnly] = await eslint.lintText(
        'import type { KubeConfig } from "@kubernetes/client-node";\nexport type Probe = KubeConfig;\n',
        { filePath: path.join(root, file) },
      );
      const typeRules = (typeOnly?.messages ?? []).map((m) => m.ruleId);
      expect(typeRules).not.toContain("@typescript-eslint/no-restricted-imports");
    },
  );

  it("lets the hub's adapters import client-node", async () => {
    const [result] = await eslint.lintText(
      'import { KubeConfig } from "@kubernetes/client-node";\nexport const probe: unknown = KubeConfig;\n',
      { filePath: path.join(root, "core/cluster/kube.ts") },
    );
    const rules = (result?.messages ?? []).map((m) => m.ruleId);
    expect(rules).not.toContain("@typescript-eslint/no-restricted-imports");
  });

  it("passes an allowed import", async () => {
    const code = `import * as right from "../core/errors.js";\nexport const probe: unknown = right;\n`;
    expect(await layeringMessages("agent/report.ts", code)).toEqual([]);
  });
});
