/**
 * Starts one real cluster of the fleet: kube-apiserver (on the fleet's etcd, under its own
 * prefix), kube-controller-manager, kube-scheduler and kwok, then registers its fake nodes
 * (and, on an edge cluster, the NodePool CRD and one NodePool per pool) and waits until the
 * nodes are Ready and the `default` ServiceAccount exists, so workloads can be created at once.
 * Tests can stop the kube-apiserver alone and start it again on the same port and data
 * (`stopApiServer`, `restartApiServer`) to play an outage.
 */
import path from "node:path";
import type { ApiEndpoint } from "./api.js";
import type { BinaryPaths } from "./build/binaries.js";
import {
  apiserverArgs,
  controllerManagerArgs,
  kwokArgs,
  schedulerArgs,
  type ClusterPorts,
} from "./components.js";
import type { ClusterSpec } from "./config.js";
import { buildKubeconfig, writeKubeconfig, type Kubeconfig } from "./kubeconfig.js";
import { registerNodes, reportPoolStatus, waitUntilUsable } from "./cluster-nodes.js";
import { clusterNodes } from "./nodes.js";
import { assertPortFree } from "./ports.js";
import { createClusterPki, type ClusterPki, type KeyPair } from "./pki.js";
import { startProcess, stopPids, type StartedProcess } from "./processes.js";
import { waitFor } from "./wait.js";
import { startRealNodes, type NodeImages } from "./cluster-real-nodes.js";
import type { RealNode } from "./real-node/node.js";
import { apiServerControl, readyz } from "./api-server-control.js";

export interface FleetCluster {
  readonly name: string;
  readonly hub: boolean;
  readonly spec: ClusterSpec;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** PEM of the cluster CA (signs the serving certificate and accepted client certificates). */
  readonly caPem: string;
  /** Admin client credential (`system:masters`). */
  readonly admin: { readonly certPem: string; readonly keyPem: string };
  readonly kubeconfig: Kubeconfig;
  readonly kubeconfigFile: string;
  readonly ports: ClusterPorts;
  /** Front-proxy CA (hub only): what an aggregated API server trusts for X-Remote-* headers. */
  readonly frontProxyCaPem?: string;
  readonly processes: readonly StartedProcess[];
  /** Real nodes (kubelet + containerd), beside the kwok nodes. */
  readonly realNodes: readonly RealNode[];
  /** Stops this cluster's processes and real nodes (etcd is the fleet's). Idempotent. */
  stop(): Promise<void>;
  /** Stops only the kube-apiserver (SIGTERM, SIGKILL after 5 s), as an outage. Idempotent. */
  stopApiServer(): Promise<void>;
  /**
   * Starts the kube-apiserver again (stopping it first if it runs) with the same arguments:
   * same port, certificates and etcd data. Resolves once `/readyz` answers.
   */
  restartApiServer(): Promise<void>;
}

export interface StartClusterInput {
  readonly spec: ClusterSpec;
  readonly binaries: BinaryPaths;
  readonly etcdUrl: string;
  readonly ports: ClusterPorts;
  readonly workDir: string;
  readonly logDir: string;
  readonly kubeconfigFile: string;
  readonly kubernetesVersion: string;
  readonly detached: boolean;
  readonly timeoutMs: number;
  /** The hub's API server port (members' real nodes relay to it). */
  readonly hubApiPort?: number;
  /** Route aggregated APIs to their pods (`fleet up --in-cluster`; components.ts). */
  readonly aggregatorRouting?: boolean;
  /** This cluster's place in the fleet (its relay address inside real nodes). */
  readonly index?: number;
  /** Every fleet cluster's API server port, by index (relays inside real nodes). */
  readonly fleetApiPorts?: readonly number[];
  /** The images real nodes load (built on first call); needed when the spec has real nodes. */
  readonly nodeImages?: () => Promise<NodeImages>;
}

export function endpointOf(server: string, ca: KeyPair, client: KeyPair): ApiEndpoint {
  return { server, caPem: ca.cert, certPem: client.cert, keyPem: client.key };
}

interface ClusterConfigs {
  readonly pki: ClusterPki;
  readonly server: string;
  /** The admin kubeconfig (also written to `input.kubeconfigFile`). */
  readonly kubeconfig: Kubeconfig;
  readonly kcmConfig: string;
  readonly schedulerConfig: string;
}

/** The cluster's certificates and the kubeconfigs of the admin, controller manager and scheduler. */
async function writeClusterConfigs(input: StartClusterInput): Promise<ClusterConfigs> {
  const { spec, ports } = input;
  const dir = path.join(input.workDir, spec.name);
  const pki = await createClusterPki(path.join(dir, "pki"), spec.hub, input.index);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const kubeconfigOf = (client: KeyPair): Kubeconfig =>
    buildKubeconfig({
      name: spec.name,
      server,
      caPem: pki.ca.cert,
      clientCertPem: client.cert,
      clientKeyPem: client.key,
    });
  const kubeconfig = kubeconfigOf(pki.admin);
  await writeKubeconfig(input.kubeconfigFile, kubeconfig);
  const kcmConfig = path.join(dir, "controller-manager.kubeconfig");
  const schedulerConfig = path.join(dir, "scheduler.kubeconfig");
  await writeKubeconfig(kcmConfig, kubeconfigOf(pki.controllerManager));
  await writeKubeconfig(schedulerConfig, kubeconfigOf(pki.scheduler));
  return { pki, server, kubeconfig, kcmConfig, schedulerConfig };
}

type Launch = (component: string, command: string, args: string[]) => StartedProcess;

/** Starts one of the cluster's processes and records it in `processes`. */
function launcher(input: StartClusterInput, processes: StartedProcess[]): Launch {
  return (component, command, args) => {
    const proc = startProcess({
      name: `${input.spec.name}-${component}`,
      command,
      args,
      logDir: input.logDir,
      detached: input.detached,
    });
    processes.push(proc);
    return proc;
  };
}

/** The controller manager, the scheduler and kwok, once the API server is ready. */
function launchControllers(
  input: StartClusterInput,
  configs: ClusterConfigs,
  launch: Launch,
): void {
  const { spec, ports, binaries } = input;
  launch(
    "kube-controller-manager",
    binaries["kube-controller-manager"],
    controllerManagerArgs({
      name: spec.name,
      kubeconfig: configs.kcmConfig,
      port: ports.controllerManager,
      pki: configs.pki,
    }),
  );
  launch(
    "kube-scheduler",
    binaries["kube-scheduler"],
    schedulerArgs({ kubeconfig: configs.schedulerConfig, port: ports.scheduler }),
  );
  launch(
    "kwok",
    binaries.kwok,
    kwokArgs({
      kubeconfig: input.kubeconfigFile,
      port: ports.kwok,
      stagesFile: binaries.kwokStages,
    }),
  );
}

/**
 * Starts the kube-apiserver and waits for its `/readyz`; returns how to start it again with
 * the same arguments (same port, certificates and etcd data).
 */
async function launchApiServer(
  input: StartClusterInput,
  configs: ClusterConfigs,
  launch: Launch,
  processes: StartedProcess[],
): Promise<() => StartedProcess> {
  const { spec, ports, binaries } = input;
  const args = apiserverArgs({
    name: spec.name,
    etcdUrl: input.etcdUrl,
    ports,
    pki: configs.pki,
    serviceCidr: "10.96.0.0/16",
    aggregatorRouting: input.aggregatorRouting,
  });
  const start = (): StartedProcess => launch("kube-apiserver", binaries["kube-apiserver"], args);
  start();
  const endpoint = endpointOf(configs.server, configs.pki.ca, configs.pki.admin);
  await waitFor(`${spec.name} kube-apiserver /readyz`, () => readyz(endpoint), {
    timeoutMs: input.timeoutMs,
    processes,
  });
  return start;
}

async function assertPortsFree(ports: ClusterPorts, cluster: string): Promise<void> {
  for (const [component, port] of Object.entries(ports) as Array<[string, number]>)
    await assertPortFree(port, `${component} of ${cluster}`);
}

/** Starts a cluster; on failure every process it started is stopped before rethrowing. */
export async function startCluster(input: StartClusterInput): Promise<FleetCluster> {
  const configs = await writeClusterConfigs(input);
  const { pki, kubeconfig } = configs;
  const processes: StartedProcess[] = [];
  const realNodes: RealNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(realNodes.map((n) => n.stop()));
    await stopPids(processes.map((p) => p.pid));
  };
  const launch = launcher(input, processes);
  try {
    await assertPortsFree(input.ports, input.spec.name);
    const endpoint = endpointOf(configs.server, pki.ca, pki.admin);
    const startApiServer = await launchApiServer(input, configs, launch, processes);
    launchControllers(input, configs, launch);
    const nodes = clusterNodes(input.spec, input.kubernetesVersion);
    await registerNodes(endpoint, input, nodes);
    await waitUntilUsable(endpoint, input, processes, nodes.length);
    await reportPoolStatus(endpoint, input, nodes);
    realNodes.push(...(await startRealNodes({ input, ca: pki.ca, endpoint })));
    const control = apiServerControl({ input, endpoint, processes, start: startApiServer });
    return { ...describe({ input, pki, kubeconfig, processes, stop }), realNodes, ...control };
  } catch (error) {
    await stop();
    throw error;
  }
}

interface Parts {
  readonly input: StartClusterInput;
  readonly pki: ClusterPki;
  readonly kubeconfig: Kubeconfig;
  readonly processes: StartedProcess[];
  readonly stop: () => Promise<void>;
}

function describe({
  input,
  pki,
  kubeconfig,
  processes,
  stop,
}: Parts): Omit<FleetCluster, "stopApiServer" | "restartApiServer" | "realNodes"> {
  return {
    name: input.spec.name,
    hub: input.spec.hub,
    spec: input.spec,
    server: `https://127.0.0.1:${input.ports.apiserver}`,
    caPem: pki.ca.cert,
    admin: { certPem: pki.admin.cert, keyPem: pki.admin.key },
    kubeconfig,
    kubeconfigFile: input.kubeconfigFile,
    ports: input.ports,
    frontProxyCaPem: pki.frontProxy?.ca.cert,
    processes,
    stop,
  };
}
