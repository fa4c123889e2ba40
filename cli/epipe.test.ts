import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The handler sits in cli/main.ts's runFlotilla, which bin/flotilla.js calls on the build;
// here the sources run as the program, so the test needs no build.
const entry = path.join(import.meta.dirname, "main.ts");

describe("flotilla run as a program", () => {
  it("exits 0 without a stack when its reader closes the pipe early (| head)", async () => {
    const child = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), entry, "--help"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(err).not.toContain("EPIPE");
    expect(code).toBe(0);
  }, 30_000);
});
