import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = path.join(import.meta.dirname, "..", "bin", "flotilla.js");

describe("bin/flotilla.js", () => {
  it("exits 0 without a stack when its reader closes the pipe early (| head)", async () => {
    const child = spawn(process.execPath, [bin, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(err).not.toContain("EPIPE");
    expect(code).toBe(0);
  }, 30_000);
});
