/**
 * Real nodes in the fleet: a pod runs on member-1's real node (kubelet + containerd + runc),
 * and its kubelet's streams reach a user through the gateway, both by the hub's aggregated
 * path and by `flotilla cluster export-config`: `logs -f` and `exec`. The gateway survives a
 * stream cut by the client and one ended by the member. Stopping the fleet leaves no process,
 * namespace, interface, mount, cgroup, slot record or changed kernel setting.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { joinFleetMembers, startFleetGateway, type FleetGateway } from "../../fleet/gateway.js";
import { isAlive } from "../../fleet/processes.js";
import { readSysctls, type SysctlValues } from "../../fleet/real-node/sysctls.js";
import { runCli } from "../support/run-cli.js";
import { nodeTraces, noTraces } from "../support/real-node-traces.js";
import { ensureNodeImages } from "../../fleet/image/node-images.js";

const run = promisify(execFile);
const proxy = "/apis/cluster.core.oam.dev/v1alpha1/clustergateways/member-1/proxy";
const podPath = "/api/v1/namespaces/default/pods/ticker";

let fleet: Fleet;
let gateway: FleetGateway;
let kubectl: string;
let sysctlsBefore: SysctlValues;
let exported: string;
let testImage: string;

const hubKubeconfig = (): string => fleet.cluster("local").kubeconfigFile;
const memberKubeconfig = (): string => fleet.cluster("member-1").kubeconfigFile;

function tickerPod(name: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default" },
    spec: {
      nodeSelector: { type: "real" },
      tolerations: [{ key: "flotilla.dev/real-node", operator: "Exists" }],
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: "ticker",
          image: testImage,
          imagePullPolicy: "Never",
          command: ["sh", "-c", 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.2; done'],
        },
      ],
    },
  });
}

async function createPod(name: string): Promise<void> {
  const file = path.join(fleet.workDir, `${name}.json`);
  await writeFile(file, tickerPod(name));
  await run(kubectl, ["--kubeconfig", memberKubeconfig(), "apply", "-f", file]);
  await run(kubectl, [
    ...["--kubeconfig", memberKubeconfig(), "wait", "--for=condition=Ready"],
    ...[`pod/${name}`, "--timeout=90s"],
  ]);
}

/** Starts a streaming command and resolves once its output has `lines` lines with "tick". */
function streamUntil(args: string[], lines: number) {
  const child = spawn(kubectl, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const ticks = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${lines} ticks in 30 s: ${out}`)), 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if ((out.match(/tick \d+/g) ?? []).length >= lines) {
        clearTimeout(timer);
        resolve(out);
      }
    });
  });
  return { child, ticks, exited };
}

async function gatewayAnswers(): Promise<void> {
  const { stdout } = await run(kubectl, [
    ...["--kubeconfig", hubKubeconfig(), "get", "--raw", `${proxy}/api/v1/namespaces/default/pods`],
  ]);
  expect(JSON.parse(stdout)).toMatchObject({ kind: "PodList" });
  expect(isAlive(gateway.process.pid)).toBe(true);
}

beforeAll(async () => {
  sysctlsBefore = readSysctls();
  kubectl = (await ensureBinaries()).kubectl;
  testImage = (await ensureNodeImages()).test.tag;
  fleet = await startFleet({
    clusters: [
      { name: "local", hub: true, nodes: 1, realNodes: 1 },
      { name: "member-1", nodes: 1, realNodes: 1 },
    ],
  });
  gateway = await startFleetGateway({ fleet });
  await joinFleetMembers(fleet);
  await createPod("ticker");
  const home = await mkdtemp(path.join(os.tmpdir(), "real-node-"));
  exported = path.join(home, "member-1-via-hub.kubeconfig");
  const config = await runCli(
    "cluster",
    "export-config",
    "member-1",
    "--kubeconfig",
    hubKubeconfig(),
  );
  expect(config.code, config.err).toBe(0);
  await writeFile(exported, config.out);
});

afterAll(async () => {
  await gateway?.stop();
  await fleet?.stop();
});

describe("real nodes", () => {
  it("run a pod on member-1's real node, beside its kwok node", async () => {
    const { stdout } = await run(kubectl, [
      ...["--kubeconfig", memberKubeconfig(), "get", "pod", "ticker", "-o", "json"],
    ]);
    const pod = JSON.parse(stdout) as { spec: { nodeName: string }; status: { podIP: string } };
    expect(pod.spec.nodeName).toBe("member-1-real-0");
    expect(pod.status.podIP).toMatch(/^10\.244\.\d+\.\d+$/);
    const nodes = await run(kubectl, [
      ...["--kubeconfig", memberKubeconfig(), "get", "nodes", "-o", "wide", "--no-headers"],
    ]);
    expect(nodes.stdout).toMatch(/member-1-real-0\s+Ready.*containerd:\/\/2\.2\./);
    expect(nodes.stdout).toMatch(/member-1-node-0\s+Ready.*kwok/);
  });

  it("keep each node in a namespace with no way out: no default route, only its veth /30", async () => {
    for (const node of fleet.clusters.flatMap((c) => c.realNodes)) {
      const netns = `--net=/run/netns/${node.plan.netns}`;
      const routes = await run("nsenter", [netns, "ip", "-4", "route", "show"]);
      expect(routes.stdout, node.name).not.toMatch(/^default/m);
      const networks = routes.stdout
        .trim()
        .split("\n")
        .map((l) => l.split(" ")[0]);
      const slot = node.plan.slot;
      for (const network of networks)
        expect([`10.250.${slot}.0/30`, `10.244.${slot}.0/24`], node.name).toContain(network);
    }
  });

  it("stream logs -f through the hub's aggregated path; the gateway survives the client leaving", async () => {
    const follow = streamUntil(
      ["--kubeconfig", hubKubeconfig(), "get", "--raw", `${proxy}${podPath}/log?follow=true`],
      3,
    );
    expect(await follow.ticks).toMatch(/tick 0\ntick 1\ntick 2/);
    follow.child.kill("SIGKILL");
    await follow.exited;
    await gatewayAnswers();
  });

  it("exec and logs -f through the exported kubeconfig reach the real kubelet", async () => {
    const exec = await run(kubectl, [
      ...["--kubeconfig", exported, "exec", "ticker", "--"],
      ...["sh", "-c", "echo exec-ok $((6*7)) $(hostname)"],
    ]);
    expect(exec.stdout.trim()).toBe("exec-ok 42 ticker");
    const stdin = await new Promise<string>((resolve, reject) => {
      const child = spawn(kubectl, ["--kubeconfig", exported, "exec", "-i", "ticker", "--", "cat"]);
      let out = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.once("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      child.stdin.end("through stdin\n");
    });
    expect(stdin).toBe("through stdin\n");
    const follow = streamUntil(["--kubeconfig", exported, "logs", "-f", "ticker"], 2);
    expect(await follow.ticks).toContain("tick 1");
    follow.child.kill("SIGINT");
    await follow.exited;
    await gatewayAnswers();
  });

  it("survive the member ending a stream (the pod deleted under logs -f)", async () => {
    await createPod("short-lived");
    const follow = streamUntil(["--kubeconfig", exported, "logs", "-f", "short-lived"], 2);
    await follow.ticks;
    await run(kubectl, [
      ...["--kubeconfig", memberKubeconfig(), "delete", "pod", "short-lived"],
      ...["--grace-period=0", "--force"],
    ]);
    const code = await Promise.race([
      follow.exited,
      new Promise<"hung">((r) => setTimeout(() => r("hung"), 30_000)),
    ]);
    expect(code).not.toBe("hung");
    await gatewayAnswers();
  });

  it("leave nothing behind when the fleet stops", async () => {
    const nodes = fleet.clusters.flatMap((c) => c.realNodes);
    expect(nodes.map((n) => n.name)).toEqual(["local-real-0", "member-1-real-0"]);
    const pids = nodes.flatMap((n) => n.processes.map((p) => p.pid));
    await gateway.stop();
    await fleet.stop();
    for (const node of nodes) expect(nodeTraces(node.plan, pids), node.name).toEqual(noTraces);
    expect(readSysctls()).toEqual(sysctlsBefore);
  });
});
