/**
 * `flotilla fleet up | status | down` as a user runs them: separate processes, a fleet that
 * outlives `up`, kubeconfigs under FLOTILLA_HOME that kubectl can use, the gateway registered
 * on the hub with the members joined (so an exported kubeconfig reaches a member through the
 * hub), and a `down` that leaves nothing running. bin/flotilla.js runs the build, so the
 * fleet, hub, gateway and agents here run from dist/ (built first when stale).
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { isAlive } from "../../fleet/processes.js";
import { ensureBuild } from "../support/build.js";

const run = promisify(execFile);
const bin = path.join(import.meta.dirname, "..", "..", "bin", "flotilla.js");

beforeAll(() => ensureBuild((line) => process.stderr.write(`${line}\n`)), 600_000);

describe("flotilla fleet", () => {
  it("starts a configured fleet in the background, reports it, and stops it", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "flotilla-home-"));
    const env: NodeJS.ProcessEnv = { ...process.env, FLOTILLA_HOME: home };
    const config = path.join(home, "fleet.yaml");
    await writeFile(
      config,
      "clusters:\n  - name: local\n    nodes: 1\n  - name: member-1\n    nodes: 1\n    labels:\n      env: test\n",
    );
    delete env.KUBECONFIG; // the CLI must find the fleet's hub by itself
    const flotilla = (...args: string[]) => run(process.execPath, [bin, ...args], { env });

    const up = await flotilla("fleet", "up", "--config", config);
    expect(up.stdout).toContain("Fleet ready in");
    const kubeconfig = path.join(home, "fleet", "member-1.kubeconfig");
    expect(up.stdout).toContain(`kubectl --kubeconfig ${kubeconfig} get nodes`);
    const state = JSON.parse(await readFile(path.join(home, "fleet", "state.json"), "utf8")) as {
      etcdPid: number;
      clusters: Array<{ pids: number[] }>;
      gateway: { pid: number };
      hubController: { pid: number };
      agents: Array<{ cluster: string; pid: number }>;
    };
    expect(state.agents.map((a) => a.cluster)).toEqual(["member-1"]);
    const pids = [
      ...state.agents.map((a) => a.pid),
      state.hubController.pid,
      state.gateway.pid,
      state.etcdPid,
      ...state.clusters.flatMap((c) => c.pids),
    ];
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
      expect(status.stdout).toMatch(/Gateway https:\/\/127\.0\.0\.1:\d+: running/);
      expect(status.stdout).toMatch(
        /Hub controller: running \(pid \d+, http:\/\/127\.0\.0\.1:\d+\)/,
      );
      expect(status.stdout).toMatch(/Agents: member-1 \(pid \d+\)\n/);
      // The member's agent reports to the hub: the cluster list says it is Ready.
      const list = await flotilla("cluster", "list");
      expect(list.stdout).toMatch(/^member-1\s+-\s+Ready\s+v1\.36\.3\s+1\/1\s/m);
      await expect(flotilla("fleet", "up", "--config", config)).rejects.toThrow(
        /a fleet is already running/,
      );
      await throughTheGateway(flotilla, kubectl, home);
    } finally {
      const down = await flotilla("fleet", "down");
      expect(down.stdout).toContain("Fleet stopped: 2 cluster(s), 12 process(es).");
    }
    expect(pids.filter(isAlive)).toEqual([]);
    const after = await flotilla("fleet", "status").then(
      () => ({ stdout: "status unexpectedly succeeded" }),
      (error: { stdout: string }) => error,
    );
    expect(after.stdout).toContain("No fleet is running");
  });
});

type Flotilla = (...args: string[]) => Promise<{ stdout: string; stderr: string }>;

/** The member is registered with its labels, and kubectl reaches it through the hub. */
async function throughTheGateway(flotilla: Flotilla, kubectl: string, home: string): Promise<void> {
  const list = await flotilla("cluster", "list", "-o", "json");
  const clusters = JSON.parse(list.stdout) as Array<{
    name: string;
    labels: Record<string, string>;
  }>;
  expect(clusters.find((c) => c.name === "member-1")?.labels).toEqual({ env: "test" });

  const hub = path.join(home, "fleet", "local.kubeconfig");
  const raw = await run(kubectl, [
    ...["--kubeconfig", hub, "get", "--raw"],
    "/apis/cluster.core.oam.dev/v1alpha1/clustergateways/member-1/proxy/api/v1/nodes",
  ]);
  expect(raw.stdout).toContain("member-1-node-0");

  const exported = path.join(home, "member-1-via-hub.kubeconfig");
  await writeFile(exported, (await flotilla("cluster", "export-config", "member-1")).stdout);
  const k = (...args: string[]) => run(kubectl, ["--kubeconfig", exported, ...args]);
  expect((await k("get", "nodes", "--no-headers")).stdout).toMatch(/^member-1-node-0\s+Ready/);
  const watch = spawn(kubectl, [
    ...["--kubeconfig", exported, "get", "configmaps", "-n", "default"],
    ...["--watch-only", "-o", "name"],
  ]);
  try {
    let seen = "";
    watch.stdout.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    await new Promise((r) => setTimeout(r, 1_000)); // let the watch start
    await k("create", "configmap", "watched", "-n", "default", "--from-literal=a=b");
    const deadline = Date.now() + 20_000;
    while (!seen.includes("configmap/watched") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toContain("configmap/watched");
    expect((await k("get", "configmap", "watched", "-o", "jsonpath={.data.a}")).stdout).toBe("b");
  } finally {
    watch.kill();
  }
}
