import path from "node:path";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";
import layering, { layerOf, layeringViolation } from "./eslint-layering.js";

const root = "/repo";
const lint = (file: string, code: string): string[] => {
  const linter = new Linter({ cwd: root, configType: "flat" });
  const messages = linter.verify(
    code,
    [
      {
        files: ["**/*.ts"],
        plugins: { flotilla: layering },
        rules: { "flotilla/layering": "error" },
        languageOptions: { sourceType: "module" },
      },
    ],
    { filename: path.join(root, file) },
  );
  return messages.map((m) => m.message);
};

describe("layering rule", () => {
  it("knows each file's layer", () => {
    expect(layerOf("hub/render/x.ts")).toBe("hub");
    expect(layerOf("test/fleet/fleet.ts")).toBe("test/fleet");
    expect(layerOf("test/cli/x.ts")).toBe("test");
    expect(layerOf("README.ts")).toBe("");
  });

  it("lets programs import core and themselves", () => {
    expect(lint("hub/a.ts", 'import { x } from "../core/errors.js"; import "./b.js";')).toEqual([]);
    expect(
      layeringViolation(root, "/repo/cli/main.ts", "/repo/test/fleet/fleet.ts"),
    ).toBeUndefined();
  });

  it("forbids one program importing another, and core importing a program", () => {
    expect(lint("hub/a.ts", 'import { y } from "../gateway/proxy.js";')).toEqual([
      "hub/ may not import from gateway/ (allowed: hub, core)",
    ]);
    expect(lint("core/a.ts", 'export { z } from "../agent/report.js";')).toEqual([
      "core/ may not import from agent/ (allowed: core)",
    ]);
    expect(lint("gateway/a.ts", 'const m = await import("../hub/x.js");')).toHaveLength(1);
  });

  it("ignores packages and unrestricted folders", () => {
    expect(lint("core/a.ts", 'import express from "express";')).toEqual([]);
    expect(lint("test/a.ts", 'import "../hub/x.js"; import "../gateway/y.js";')).toEqual([]);
  });
});
