import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "./main.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe("flotilla main", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "flotilla-cli-"));
    process.env.FLOTILLA_HOME = home;
  });
  afterEach(() => {
    delete process.env.FLOTILLA_HOME;
  });

  it("reports every problem of a fleet config file and exits 1 before starting anything", async () => {
    const file = path.join(home, "bad.yaml");
    await writeFile(file, "clusters:\n  - name: Member_1\n    nodes: 500\n");
    const c = capture();
    const code = await main(["node", "flotilla", "fleet", "up", "--config", file], c.io);
    expect(code).toBe(1);
    expect(c.err.join("\n")).toContain("invalid fleet configuration");
    expect(c.err.join("\n")).toContain("clusters[0].name: must be a DNS label");
    expect(c.err.join("\n")).toContain(
      "clusters[0].nodes: must be a whole number from 0 to 100, got 500",
    );
  });

  it("says no fleet is running and exits 1 from status", async () => {
    const c = capture();
    expect(await main(["node", "flotilla", "fleet", "status"], c.io)).toBe(1);
    expect(c.out.join("\n")).toContain("No fleet is running");
  });

  it("fails on an unknown command", async () => {
    const c = capture();
    const quiet = vi.spyOn(process.stderr, "write").mockReturnValue(true);
    try {
      expect(await main(["node", "flotilla", "fleet", "sideways"], c.io)).not.toBe(0);
    } finally {
      quiet.mockRestore();
    }
  });
});
