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

  it("passes an allowed import", async () => {
    const code = `import * as right from "../core/errors.js";\nexport const probe: unknown = right;\n`;
    expect(await layeringMessages("agent/report.ts", code)).toEqual([]);
  });
});
