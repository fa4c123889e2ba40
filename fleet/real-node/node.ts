/**
 * Starting one real node on a running fleet cluster: a slot and a network namespace of its
 * own, relays to the API servers, containerd with the fleet's images loaded, then the kubelet
 * and kube-proxy, until the Node is Ready. `stop()` stops its processes and removes everything
 * it made (`cleanup.ts`); an exit or signal of the owning process does the same.
 */
import { mkdir, writeFile } from "node:fs/promises";
import type { ApiEndpoint } from "../api.js";
import type { BinaryPaths } from "../build/binaries.js";
import { onExitCleanup, startProcess, stopPids, type StartedProcess } from "../processes.js";
import type { KeyPair } from "../pki.js";
import { waitFor } from "../wait.js";
import { cleanupNode, type CleanupReport } from "./cleanup.js";
import {
  containerdConfig,
  cniConfig,
  kubeletConfig,
  kubeProxyConfig,
  nodePaths,
} from "./configs.js";
import { createCgroupRoots } from "./cgroups.js";
import { writeNodeCredentials } from "./credentials.js";
import { inNetns, RealNodeError } from "./exec.js";
import { importImages, waitForContainerd } from "./images.js";
import { createNetwork } from "./network.js";
import { realNodePlan, type RealNodePlan } from "./plan.js";
import { claimSlot, writeRecord, type NodeRecord } from "./records.js";
import { startRelays } from "./relays.js";
import { snapshotSysctls } from "./sysctls.js";
import { toolPath } from "./tools.js";
import { nodeReady } from "./ready.js";

export interface StartRealNodeInput {
  readonly cluster: string;
  readonly index: number;
  readonly clusterDir: string;
  readonly binaries: BinaryPaths;
  readonly ca: KeyPair;
  /** The node's cluster's API server port on 127.0.0.1. */
  readonly apiPort: number;
  /** The hub's API server port on 127.0.0.1 (relayed into the node as `hubRelayAddress`). */
  readonly hubApiPort?: number;
  /** Every fleet cluster's API server port by fleet index (relayed as `fleetRelayAddress`). */
  readonly fleetApiPorts?: readonly number[];
  /** The admin endpoint of the node's cluster (to wait for the Node to be Ready). */
  readonly endpoint: ApiEndpoint;
  /** Image archives to load (docker-archive tarballs) and the pause image's tag. */
  readonly images: { readonly sandbox: string; readonly archives: readonly string[] };
  readonly logDir: string;
  readonly detached: boolean;
  readonly timeoutMs: number;
}

export interface RealNode {
  readonly name: string;
  readonly plan: RealNodePlan;
  readonly processes: readonly StartedProcess[];
  /** containerd's socket (for `ctr --address`). */
  readonly containerdSocket: string;
  /** Loads more image archives into the node's containerd. */
  loadImages(archives: readonly string[]): Promise<void>;
  /** Forgets the owning process: the node outlives it (a detached fleet). */
  release(): void;
  /** Stops the node and removes everything it made. Idempotent. */
  stop(): Promise<CleanupReport | undefined>;
}

/** Starts a real node; on failure removes whatever it had made and rethrows. */
export async function startRealNode(input: StartRealNodeInput): Promise<RealNode> {
  const node = new TrackedNode(input);
  try {
    await launchNode(input, node.plan, (p) => node.track(p));
  } catch (error) {
    node.forget();
    cleanupNode(node.record);
    throw error;
  }
  return node;
}

/**
 * A started node and its slot record, kept current as processes start, and cleaned up on
 * `stop()` or, while this process owns it, when this process exits.
 */
class TrackedNode implements RealNode {
  record: NodeRecord;
  readonly processes: StartedProcess[] = [];
  readonly #input: StartRealNodeInput;
  readonly #unregister: () => void;
  #stopped: Promise<CleanupReport | undefined> | undefined;

  constructor(input: StartRealNodeInput) {
    this.#input = input;
    this.record = claimSlot((slot) => ({
      plan: realNodePlan({ ...input, slot }),
      ownerPid: process.pid,
      pids: [],
      createdAt: new Date().toISOString(),
    }));
    this.#unregister = onExitCleanup(() => cleanupNode(this.record));
  }

  get plan(): RealNodePlan {
    return this.record.plan;
  }
  get name(): string {
    return this.plan.name;
  }
  get containerdSocket(): string {
    return nodePaths(this.plan).containerdSocket;
  }

  track(p: StartedProcess): StartedProcess {
    this.processes.push(p);
    this.#save({ ...this.record, pids: this.processes.map((q) => q.pid) });
    return p;
  }

  forget(): void {
    this.#unregister();
  }

  loadImages(archives: readonly string[]): Promise<void> {
    return importImages(this.#input.binaries.ctr, this.containerdSocket, archives);
  }

  release(): void {
    this.#save({ plan: this.plan, pids: this.record.pids, createdAt: this.record.createdAt });
    this.#unregister();
  }

  stop(): Promise<CleanupReport | undefined> {
    this.#stopped ??= stopPids(this.processes.map((p) => p.pid)).then(() => {
      this.#unregister();
      return cleanupNode(this.record);
    });
    return this.#stopped;
  }

  #save(record: NodeRecord): void {
    this.record = record;
    writeRecord(record);
  }
}

type Track = (p: StartedProcess) => StartedProcess;

async function launchNode(input: StartRealNodeInput, plan: RealNodePlan, track: Track) {
  const paths = nodePaths(plan);
  snapshotSysctls();
  await prepareFiles(input, plan);
  await createNetwork(plan, input.fleetApiPorts?.length ?? 0);
  createCgroupRoots(plan.cgroupRoot);
  const launch = launcher(input, plan, track);
  const { apiPort, hubApiPort, fleetApiPorts } = input;
  startRelays({ plan, apiPort, hubApiPort, fleetApiPorts, launch });
  const containerd = launch("containerd", input.binaries.containerd, [
    "--config",
    paths.containerdConfig,
  ]);
  await waitForContainerd(input.binaries.ctr, paths.containerdSocket, containerd, input.timeoutMs);
  await importImages(input.binaries.ctr, paths.containerdSocket, input.images.archives);
  const kubelet = launch("kubelet", input.binaries.kubelet, kubeletArgs(plan));
  launch("kube-proxy", input.binaries["kube-proxy"], ["--config", paths.proxyConfig, "--v=1"]);
  await waitFor(`${plan.name} Ready`, () => nodeReady(input.endpoint, plan.name), {
    timeoutMs: input.timeoutMs,
    processes: [containerd, kubelet],
  });
}

/** Configuration files and credentials (the namespace does not exist yet). */
async function prepareFiles(input: StartRealNodeInput, plan: RealNodePlan): Promise<void> {
  const paths = nodePaths(plan);
  for (const dir of [plan.dir, plan.runDir, paths.cniConfDir, paths.podLogs, paths.pki])
    await mkdir(dir, { recursive: true });
  await writeNodeCredentials({ plan, paths, ca: input.ca });
  const files: Array<[string, string]> = [
    [paths.containerdConfig, containerdConfig({ plan, paths, sandboxImage: input.images.sandbox })],
    [`${paths.cniConfDir}/10-flotilla.conflist`, cniConfig(plan, paths)],
    [paths.kubeletConfig, kubeletConfig(plan, paths)],
    [paths.proxyConfig, kubeProxyConfig(plan, paths)],
    [paths.resolvConf, "# the local fleet has no cluster DNS\nnameserver 127.0.0.1\n"],
  ];
  for (const [file, text] of files) await writeFile(file, text);
}

function kubeletArgs(plan: RealNodePlan): string[] {
  const paths = nodePaths(plan);
  return [
    `--config=${paths.kubeletConfig}`,
    `--kubeconfig=${paths.kubeletKubeconfig}`,
    `--root-dir=${paths.kubeletRoot}`,
    `--cert-dir=${paths.kubeletCertDir}`,
    `--hostname-override=${plan.name}`,
    `--node-ip=${plan.nodeAddress}`,
    "--node-labels=type=real,flotilla.dev/real-node=true",
    "--v=1",
  ];
}

export type Launch = (
  component: string,
  command: string,
  args: readonly string[],
) => StartedProcess;

/** Starts a process inside the node's namespace (or on the host with `host: true`). */
function launcher(
  input: StartRealNodeInput,
  plan: RealNodePlan,
  track: Track,
): Launch & {
  host: Launch;
} {
  const start = (component: string, command: string, args: readonly string[]) =>
    track(
      startProcess({
        name: `${plan.name}-${component}`,
        command,
        args,
        logDir: input.logDir,
        detached: input.detached,
      }),
    );
  const nsenter = toolPath("nsenter");
  const inside: Launch = (component, command, args) =>
    start(component, nsenter, inNetns(plan.netns, command, args));
  return Object.assign(inside, { host: start });
}

export { RealNodeError };
