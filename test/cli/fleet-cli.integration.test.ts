/**
 * `flotilla fleet up | status | down` as a user runs them: separate processes, a fleet that
 * outlives `up`, kubeconfigs under FLOTILLA_HOME that kubectl can use, and a `down` that
 * leaves nothing running.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ensureBinaries } from "../fleet/build/binaries.js";
import { isAlive } from "../fleet/processes.js";

const run = promisify(execFile);
const bin = path.join(import.meta.dirname, "..", "..", "bin", "flotilla.js");

describe("flotilla fleet", () => {
  it("starts a configured fleet in the background, reports it, and stops it", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "flotilla-home-"));
    const env = { ...process.env, FLOTILLA_HOME: home };
    const config = path.join(home, "fleet.yaml");
    await writeFile(
      config,
      "clusters:\n  - name: local\n    nodes: 1\n  - name: member-1\n    nodes: 1\n",
    );
    const flotilla = (...args: string[]) => run(process.execPath, [bin, ...args], { env });

    const up = await flotilla("fleet", "up", "--config", config);
    expect(up.stdout).toContain("Fleet ready in");
    const kubeconfig = path.join(home, "fleet", "member-1.kubeconfig");
    expect(up.stdout).toContain(`kubectl --kubeconfig ${kubeconfig} get nodes`);
    const state = JSON.parse(await readFile(path.join(home, "fleet", "state.json"), "utf8")) as {
      etcdPid: number;
      clusters: Array<{ pids: number[] }>;
    };
    const pids = [state.etcdPid, ...state.clusters.flatMap((c) => c.pids)];
    try {
      expect(pids.every(isAlive)).toBe(true);
      const { kubectl } = await ensureBinaries();
      const nodes = await run(kubectl, [
        "--kubeconfig",
        kubeconfig,
        "get",
        "nodes",
        "--no-headers",
      ]);
      expect(nodes.stdout).toMatch(/^member-1-node-0\s+Ready\s/);

      const status = await flotilla("fleet", "status");
      expect(status.stdout).toMatch(/member-1\s+member\s+Ready\s+v1\.36\.3\s+1\/1/);
      await expect(flotilla("fleet", "up", "--config", config)).rejects.toThrow(
        /a fleet is already running/,
      );
    } finally {
      const down = await flotilla("fleet", "down");
      expect(down.stdout).toContain("Fleet stopped: 2 cluster(s), 9 process(es).");
    }
    expect(pids.filter(isAlive)).toEqual([]);
    const after = await flotilla("fleet", "status").then(
      () => ({ stdout: "status unexpectedly succeeded" }),
      (error: { stdout: string }) => error,
    );
    expect(after.stdout).toContain("No fleet is running");
  });
});
