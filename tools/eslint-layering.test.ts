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
  it("knows each file's layer: its top folder", () => {
    expect(layerOf("hub/render/x.ts")).toBe("hub");
    expect(layerOf("fleet/fleet.ts")).toBe("fleet");
    expect(layerOf("test/fleet/x.ts")).toBe("test");
    expect(layerOf("README.ts")).toBe("");
  });

  it("lets programs import core and themselves, the hub and the CLI the engine, the CLI the fleet", () => {
    expect(lint("hub/a.ts", 'import { x } from "../core/errors.js"; import "./b.js";')).toEqual([]);
    expect(lint("hub/a.ts", 'import { r } from "../engine/render/render.js";')).toEqual([]);
    expect(lint("engine/a.ts", 'import { e } from "../core/errors.js";')).toEqual([]);
    expect(layeringViolation(root, "/repo/cli/main.ts", "/repo/fleet/fleet.ts")).toBeUndefined();
    expect(layeringViolation(root, "/repo/fleet/hub.ts", "/repo/core/json.ts")).toBeUndefined();
  });

  it("keeps the engine out of the kernel, the gateway and the agent", () => {
    expect(lint("core/a.ts", 'import { r } from "../engine/render/render.js";')).toEqual([
      "core/ may not import from engine/ (allowed: core)",
    ]);
    expect(lint("agent/a.ts", 'import { p } from "../engine/render/pool-placement.js";')).toEqual([
      "agent/ may not import from engine/ (allowed: agent, core)",
    ]);
    expect(lint("gateway/a.ts", 'import type { J } from "../engine/oam/types.js";')).toHaveLength(
      1,
    );
    expect(lint("fleet/a.ts", 'import { h } from "../hub/start.js";')).toEqual([
      "fleet/ may not import from hub/ (allowed: fleet, core)",
    ]);
    expect(lint("engine/a.ts", 'import { f } from "../fleet/fleet.js";')).toHaveLength(1);
  });

  it("forbids one program importing another, and core importing a program", () => {
    expect(lint("hub/a.ts", 'import { y } from "../gateway/proxy.js";')).toEqual([
      "hub/ may not import from gateway/ (allowed: hub, engine, core)",
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
