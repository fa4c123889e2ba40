import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { programCommand, programEntry, type FleetProgram } from "./programs.js";

const repo = path.join(import.meta.dirname, "..");
const tsx = import.meta.resolve("tsx");

describe("fleet programs, run from the sources", () => {
  it.each<FleetProgram>(["hub", "gateway", "agent"])(
    "starts %s from its TypeScript entry through tsx",
    (program) => {
      const entry = path.join(repo, program, "main.ts");
      expect(programEntry(program)).toBe(entry);
      expect(existsSync(entry)).toBe(true);
      const { command, args } = programCommand(program, { args: ["--flag", "x"] });
      expect(command).toBe(process.execPath);
      expect(args.slice(args.indexOf("--import"))).toEqual(["--import", tsx, entry, "--flag", "x"]);
    },
  );

  it("keeps the gateway's small young generation unless told otherwise", () => {
    expect(programCommand("gateway").args[0]).toBe("--max-semi-space-size=2");
    expect(programCommand("hub").args[0]).toBe("--import");
    const profiled = programCommand("gateway", { nodeArgs: ["--cpu-prof"] }).args;
    expect(profiled.filter((a) => a.startsWith("--max-semi"))).toEqual([]);
    expect(profiled[0]).toBe("--cpu-prof");
  });

  it("starts a JavaScript entry with plain node", () => {
    const entry = path.join(repo, "dist", "gateway", "main.js");
    const { args } = programCommand("gateway", { entry, args: ["--port", "1"] });
    expect(args).toEqual(["--max-semi-space-size=2", entry, "--port", "1"]);
  });
});
