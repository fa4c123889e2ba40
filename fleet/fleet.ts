/**
 * `startFleet`: a local fleet of real Kubernetes clusters on 127.0.0.1.
 *
 * One etcd serves the whole fleet (each cluster under its own key prefix); each cluster runs
 * its own kube-apiserver, kube-controller-manager, kube-scheduler and kwok. Binaries come from
 * the version-keyed cache (built on first use). `stop()` stops every process and frees every
 * port; attached fleets are also stopped when the parent process exits or is interrupted.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensureBinaries, type BinaryPaths } from "./build/binaries.js";
import { startCluster, type FleetCluster } from "./cluster.js";
import { etcdArgs, type ClusterPorts } from "./components.js";
import { defaultFleetConfig, parseFleetConfig, type ClusterSpec } from "./config.js";
import { freePorts } from "./ports.js";
import { releaseProcesses, startProcess, stopPids, type StartedProcess } from "./processes.js";
import { fleetVersions } from "./versions.js";
import { waitFor } from "./wait.js";
import type { NodeImages } from "./cluster-real-nodes.js";
import { prepareRealNodes, defaultNodeImages } from "./real-nodes-setup.js";

export type { FleetCluster } from "./cluster.js";

/** A cluster as given to `startFleet`: a name, the rest defaulted as in a fleet config file. */
export interface ClusterInput {
  readonly name: string;
  readonly hub?: boolean;
  readonly nodes?: number;
  /** Real nodes (kubelet + containerd); default 0. */
  readonly realNodes?: number;
  readonly pools?: ReadonlyArray<{
    name: string;
    nodes?: number;
    type?: "Edge" | "Cloud";
    taints?: unknown[];
  }>;
}

export interface StartFleetOptions {
  /** Default: the default fleet (local, member-1, member-2, edge-1). */
  readonly clusters?: readonly (ClusterInput | ClusterSpec)[];
  /** Where certificates, etcd data and logs go; default a new temporary directory. */
  readonly workDir?: string;
  /** Where `<cluster>.kubeconfig` files are written; default `<workDir>/kubeconfig`. */
  readonly kubeconfigDir?: string;
  /** Prebuilt binaries; default: `ensureBinaries()` (builds into the cache when missing). */
  readonly binaries?: BinaryPaths;
  /** Detached processes outlive this process (the CLI's `fleet up`). */
  readonly detached?: boolean;
  /** Upper bound for each start-up wait; default 120 s. */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
  /**
   * The images real nodes load; default: the pause and test images (and Flotilla's image when
   * `flotillaImage`), built on first use (fleet/image/).
   */
  readonly nodeImages?: () => Promise<NodeImages>;
  /** Real nodes also load Flotilla's image (`npm run image`); default false. */
  readonly flotillaImage?: boolean;
  /**
   * Flotilla will run as pods (its charts): the API servers call aggregated APIs at their pod
   * endpoints. A gateway process on the host then cannot be registered; default false.
   */
  readonly inClusterPrograms?: boolean;
}

export interface Fleet {
  readonly clusters: readonly FleetCluster[];
  readonly workDir: string;
  readonly logDir: string;
  readonly etcd: StartedProcess;
  /** The cluster of that name; throws when there is none. */
  cluster(name: string): FleetCluster;
  /** Every process id of the fleet (clusters and etcd). */
  pids(): number[];
  /** Every port the fleet listens on. */
  ports(): number[];
  /** Stops every process and deletes the work directory unless `keepWorkDir`. Idempotent. */
  stop(options?: { keepWorkDir?: boolean }): Promise<void>;
}

/** Starts the fleet; on any failure, stops whatever it had started and rethrows. */
export async function startFleet(options: StartFleetOptions = {}): Promise<Fleet> {
  const resolved = await resolveOptions(options);
  const { specs, log, workDir, logDir, binaries, timeoutMs, detached } = resolved;

  if (specs.some((s) => s.realNodes > 0)) prepareRealNodes(log);
  const allPorts = await freePorts(2 + specs.length * 4);
  const [etcdClient, etcdPeer] = allPorts as [number, number];
  const etcd = startProcess({
    name: "etcd",
    command: binaries.etcd,
    args: etcdArgs({
      dataDir: path.join(workDir, "etcd"),
      clientPort: etcdClient,
      peerPort: etcdPeer,
    }),
    logDir,
    detached,
  });
  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const started: FleetCluster[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((c) => c.stop()));
    await stopPids([etcd.pid]);
  };
  try {
    log(`[fleet] etcd on ${etcdUrl}`);
    await waitFor("etcd /health", () => etcdHealthy(etcdUrl), { timeoutMs, processes: [etcd] });
    await startClusters({ ...resolved, etcdUrl, allPorts, started });
    const clusters = specs.map((s) => started.find((c) => c.name === s.name) as FleetCluster);
    const fleet = fleetHandle({ clusters, workDir, logDir, etcd, ports: allPorts, stopAll });
    if (detached) release(fleet);
    return fleet;
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Hands a detached fleet's processes and real nodes over: they outlive this process. */
function release(fleet: Fleet): void {
  releaseProcesses(fleet.pids());
  for (const node of fleet.clusters.flatMap((c) => c.realNodes)) node.release();
}

type Resolved = Awaited<ReturnType<typeof resolveOptions>>;

interface ClustersInput extends Resolved {
  readonly etcdUrl: string;
  readonly allPorts: readonly number[];
  /** Filled as clusters come up, so a failure can stop those that started. */
  readonly started: FleetCluster[];
}

/** Starts every cluster at once; throws the first failure once all have settled. */
async function startClusters(input: ClustersInput): Promise<void> {
  const { specs, allPorts, log } = input;
  const hubIndex = specs.findIndex((s) => s.hub);
  const hubApiPort = hubIndex < 0 ? undefined : allPorts[2 + hubIndex * 4];
  const results = await Promise.allSettled(
    specs.map(async (spec, i) => {
      const ports = clusterPorts(allPorts.slice(2 + i * 4, 6 + i * 4));
      log(`[fleet] starting ${spec.name} (kube-apiserver on 127.0.0.1:${ports.apiserver})`);
      const cluster = await startCluster({
        spec,
        binaries: input.binaries,
        etcdUrl: input.etcdUrl,
        ports,
        workDir: input.workDir,
        logDir: input.logDir,
        kubeconfigFile: path.join(input.kubeconfigDir, `${spec.name}.kubeconfig`),
        kubernetesVersion: fleetVersions.kubernetes,
        detached: input.detached,
        timeoutMs: input.timeoutMs,
        hubApiPort,
        index: i,
        aggregatorRouting: input.inClusterPrograms,
        fleetApiPorts: specs.map((_, j) => allPorts[2 + j * 4] as number),
        nodeImages: input.nodeImages,
      });
      input.started.push(cluster);
      log(`[fleet] ${spec.name} ready`);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed !== undefined) throw failed.reason;
}

/** Applies `startFleet`'s defaults in one place; creates the work and log directories. */
async function resolveOptions(options: StartFleetOptions) {
  const specs = parseFleetConfig({
    clusters: options.clusters ?? defaultFleetConfig.clusters,
  }).clusters;
  const log = options.log ?? (() => undefined);
  const workDir = options.workDir ?? (await mkdtemp(path.join(os.tmpdir(), "flotilla-fleet-")));
  const logDir = path.join(workDir, "logs");
  await mkdir(logDir, { recursive: true });
  return {
    specs,
    log,
    workDir,
    logDir,
    kubeconfigDir: options.kubeconfigDir ?? path.join(workDir, "kubeconfig"),
    binaries: options.binaries ?? (await ensureBinaries({ log })),
    timeoutMs: options.timeoutMs ?? 120_000,
    detached: options.detached === true,
    nodeImages: options.nodeImages ?? defaultNodeImages(log, options.flotillaImage === true),
    inClusterPrograms: options.inClusterPrograms === true,
  };
}

function clusterPorts(ports: number[]): ClusterPorts {
  const [apiserver, controllerManager, scheduler, kwok] = ports as [number, number, number, number];
  return { apiserver, controllerManager, scheduler, kwok };
}

async function etcdHealthy(url: string): Promise<true | undefined> {
  const res = await fetch(`${url}/health`);
  const body = (await res.json()) as { health?: string };
  return body.health === "true" ? true : undefined;
}

interface HandleInput {
  readonly clusters: FleetCluster[];
  readonly workDir: string;
  readonly logDir: string;
  readonly etcd: StartedProcess;
  readonly ports: number[];
  readonly stopAll: () => Promise<void>;
}

function fleetHandle(input: HandleInput): Fleet {
  let stopped: Promise<void> | undefined;
  return {
    clusters: input.clusters,
    workDir: input.workDir,
    logDir: input.logDir,
    etcd: input.etcd,
    cluster(name) {
      const found = input.clusters.find((c) => c.name === name);
      if (found === undefined)
        throw new Error(
          `no cluster "${name}" in this fleet (have: ${input.clusters.map((c) => c.name).join(", ")})`,
        );
      return found;
    },
    pids: () => [
      input.etcd.pid,
      ...input.clusters.flatMap((c) => [
        ...c.processes.map((p) => p.pid),
        ...c.realNodes.flatMap((n) => n.processes.map((p) => p.pid)),
      ]),
    ],
    ports: () => [...input.ports],
    stop(options) {
      stopped ??= input.stopAll().then(async () => {
        if (options?.keepWorkDir !== true)
          await rm(input.workDir, { recursive: true, force: true });
      });
      return stopped;
    },
  };
}
