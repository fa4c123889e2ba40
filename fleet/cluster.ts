/**
 * Starts one real cluster of the fleet: kube-apiserver (on the fleet's etcd, under its own
 * prefix), kube-controller-manager, kube-scheduler and kwok, then registers its fake nodes
 * (and, on an edge cluster, the NodePool CRD and one NodePool per pool) and waits until the
 * nodes are Ready and the `default` ServiceAccount exists, so workloads can be created at once.
 * Tests can stop the kube-apiserver alone and start it again on the same port and data
 * (`stopApiServer`, `restartApiServer`) to play an outage.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fleetCrdsDir } from "../core/assets.js";
import { call, request, type ApiEndpoint } from "./api.js";
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
import { clusterNodes, nodePoolLabel, nodePoolManifest, type NodeManifest } from "./nodes.js";
import { assertPortFree } from "./ports.js";
import { countReady, type NodeList } from "./probe.js";
import { createClusterPki, type ClusterPki, type KeyPair } from "./pki.js";
import { startProcess, stopPids, type StartedProcess } from "./processes.js";
import { parse } from "yaml";
import { waitFor } from "./wait.js";
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
  /** Stops this cluster's processes (etcd is the fleet's). Idempotent. */
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
}

const nodePoolCrdFile = (): string => path.join(fleetCrdsDir(), "nodepool.yaml");

export function endpointOf(server: string, ca: KeyPair, client: KeyPair): ApiEndpoint {
  return { server, caPem: ca.cert, certPem: client.cert, keyPem: client.key };
}

/** Starts a cluster; on failure every process it started is stopped before rethrowing. */
export async function startCluster(input: StartClusterInput): Promise<FleetCluster> {
  const { spec, ports } = input;
  const dir = path.join(input.workDir, spec.name);
  const pki = await createClusterPki(path.join(dir, "pki"), spec.hub);
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

  const processes: StartedProcess[] = [];
  const stop = (): Promise<void> => stopPids(processes.map((p) => p.pid));
  const launch = (component: string, command: string, args: string[]): StartedProcess => {
    const proc = startProcess({
      name: `${spec.name}-${component}`,
      command,
      args,
      logDir: input.logDir,
      detached: input.detached,
    });
    processes.push(proc);
    return proc;
  };
  try {
    for (const [component, port] of Object.entries(ports) as Array<[string, number]>) {
      await assertPortFree(port, `${component} of ${spec.name}`);
    }
    const endpoint = endpointOf(server, pki.ca, pki.admin);
    const apiArgs = apiserverArgs({
      name: spec.name,
      etcdUrl: input.etcdUrl,
      ports,
      pki,
      serviceCidr: "10.96.0.0/16",
    });
    const startApiServer = (): StartedProcess =>
      launch("kube-apiserver", input.binaries["kube-apiserver"], apiArgs);
    startApiServer();
    await waitFor(`${spec.name} kube-apiserver /readyz`, () => readyz(endpoint), {
      timeoutMs: input.timeoutMs,
      processes,
    });
    launch(
      "kube-controller-manager",
      input.binaries["kube-controller-manager"],
      controllerManagerArgs({
        name: spec.name,
        kubeconfig: kcmConfig,
        port: ports.controllerManager,
        pki,
      }),
    );
    launch(
      "kube-scheduler",
      input.binaries["kube-scheduler"],
      schedulerArgs({ kubeconfig: schedulerConfig, port: ports.scheduler }),
    );
    launch(
      "kwok",
      input.binaries.kwok,
      kwokArgs({
        kubeconfig: input.kubeconfigFile,
        port: ports.kwok,
        stagesFile: input.binaries.kwokStages,
      }),
    );
    const nodes = clusterNodes(spec, input.kubernetesVersion);
    await registerNodes(endpoint, input, nodes);
    await waitUntilUsable(endpoint, input, processes, nodes.length);
    await reportPoolStatus(endpoint, input, nodes);
    const control = apiServerControl({ input, endpoint, processes, start: startApiServer });
    return { ...describe({ input, pki, kubeconfig, processes, stop }), ...control };
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
}: Parts): Omit<FleetCluster, "stopApiServer" | "restartApiServer"> {
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

async function registerNodes(
  endpoint: ApiEndpoint,
  input: StartClusterInput,
  nodes: readonly NodeManifest[],
): Promise<void> {
  const { spec } = input;
  if (spec.pools.length > 0) {
    const crd: unknown = parse(await readFile(nodePoolCrdFile(), "utf8"));
    await call(endpoint, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
  }
  for (const node of nodes) {
    await call(endpoint, "POST", "/api/v1/nodes", node);
  }
  if (spec.pools.length === 0) return;
  const pools = "/apis/apps.openyurt.io/v1beta1/nodepools";
  await waitFor(
    `${spec.name} NodePool CRD`,
    async () => ((await request(endpoint, "GET", pools)).status === 200 ? true : undefined),
    { timeoutMs: input.timeoutMs },
  );
  for (const pool of spec.pools) await call(endpoint, "POST", pools, nodePoolManifest(pool));
}

async function waitUntilUsable(
  endpoint: ApiEndpoint,
  input: StartClusterInput,
  processes: StartedProcess[],
  expected: number,
): Promise<void> {
  const options = { timeoutMs: input.timeoutMs, processes };
  await waitFor(
    `${input.spec.name}: ${expected} Ready node(s)`,
    async () => {
      const list = await call<NodeList>(endpoint, "GET", "/api/v1/nodes");
      return countReady(list) >= expected ? true : undefined;
    },
    options,
  );
  await waitFor(
    `${input.spec.name}: the default ServiceAccount`,
    async () => {
      const res = await request(
        endpoint,
        "GET",
        "/api/v1/namespaces/default/serviceaccounts/default",
      );
      return res.status === 200 ? true : undefined;
    },
    options,
  );
}

/**
 * Writes each NodePool's status (ready / not-ready node counts and members) as OpenYurt's pool
 * controller would once the nodes have registered; nothing keeps it current afterwards.
 */
async function reportPoolStatus(
  endpoint: ApiEndpoint,
  input: StartClusterInput,
  nodes: readonly NodeManifest[],
): Promise<void> {
  for (const pool of input.spec.pools) {
    const url = `/apis/apps.openyurt.io/v1beta1/nodepools/${pool.name}`;
    const current = await call(endpoint, "GET", url);
    const members = nodes.filter((n) => n.metadata.labels[nodePoolLabel] === pool.name);
    const status = {
      readyNodeNum: members.length,
      unreadyNodeNum: 0,
      nodes: members.map((n) => n.metadata.name),
    };
    await call(endpoint, "PUT", `${url}/status`, { ...current, status });
  }
}
