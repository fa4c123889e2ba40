/**
 * The fleet's gateway: Flotilla's cluster gateway started as its own process next to the hub,
 * with a serving certificate the hub's aggregator accepts, registered on the hub as the
 * aggregated APIService `v1alpha1.cluster.core.oam.dev` (through an ExternalName Service to
 * localhost), and the fleet's members registered in the hub's cluster registry with their
 * labels, as `flotilla cluster join` would.
 */
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { clusterRegistry } from "../core/cluster/registry.js";
import type { ClusterRecord } from "../core/cluster/types.js";
import {
  apiServiceHost,
  registerApiService,
  waitApiServiceAvailable,
} from "../core/install/apiservice.js";
import { request } from "./api.js";
import type { FleetCluster } from "./cluster.js";
import type { Fleet } from "./fleet.js";
import { issueServingCertificate, type ServingCertificate } from "./pki.js";
import { freePorts } from "./ports.js";
import { programCommand } from "./programs.js";
import { startProcess, stopPids, type StartedProcess } from "./processes.js";
import { waitFor } from "./wait.js";

export interface FleetGateway {
  readonly process: StartedProcess;
  readonly port: number;
  readonly url: string;
  /** PEM of the CA that signed the gateway's serving certificate. */
  readonly caPem: string;
  stop(): Promise<void>;
}

export interface StartFleetGatewayOptions {
  readonly fleet: Fleet;
  /** Outlive this process (`flotilla fleet up`). */
  readonly detached?: boolean;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Register on the hub as the aggregated APIService and wait until Available (default). */
  readonly register?: boolean;
  /** Gateway entry point; default as fleet/programs.ts says. `.ts` files run through tsx. */
  readonly entry?: string;
  /** Options for the gateway's node process (e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** Extra gateway flags (e.g. `--audience`). */
  readonly args?: readonly string[];
}

/** A serving certificate for localhost, 127.0.0.1 and the aggregator's service name. */
export function gatewayServingCertificate(dir: string): Promise<ServingCertificate> {
  return issueServingCertificate(dir, "flotilla-gateway", [
    `DNS:${apiServiceHost({})}`,
    "DNS:localhost",
    "IP:127.0.0.1",
  ]);
}

export function hubOf(fleet: Fleet): FleetCluster {
  const hub = fleet.clusters.find((c) => c.hub);
  if (hub === undefined) throw new Error("the fleet has no hub cluster");
  return hub;
}

/** A client configuration from the cluster's written kubeconfig file. */
export function kubeConfigOf(cluster: FleetCluster): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfigFile);
  return kc;
}

/**
 * Registers a gateway listening on `port` as the hub's APIService and waits until Available,
 * with the installer `flotilla gateway register` uses.
 */
export async function registerOnHub(
  hub: FleetCluster,
  gateway: { port: number; caPem: string; timeoutMs: number },
): Promise<void> {
  const kc = kubeConfigOf(hub);
  await registerApiService(kc, { port: gateway.port, caBundlePem: gateway.caPem });
  await waitApiServiceAvailable(kc, { timeoutMs: gateway.timeoutMs });
}

/** Starts the gateway process, waits until it is ready and registers it on the hub. */
export async function startFleetGateway(options: StartFleetGatewayOptions): Promise<FleetGateway> {
  const { fleet } = options;
  const hub = hubOf(fleet);
  const tls = await gatewayServingCertificate(path.join(fleet.workDir, "gateway-pki"));
  const [port] = (await freePorts(1)) as [number];
  const proc = startProcess({
    name: "gateway",
    ...programCommand("gateway", {
      entry: options.entry,
      nodeArgs: options.nodeArgs,
      args: [
        ...["--kubeconfig", hub.kubeconfigFile, "--port", String(port)],
        ...["--tls-cert-file", tls.serving.certFile, "--tls-key-file", tls.serving.keyFile],
        ...(options.args ?? []),
      ],
    }),
    logDir: fleet.logDir,
    detached: options.detached,
  });
  const url = `https://127.0.0.1:${port}`;
  const stop = (): Promise<void> => stopPids([proc.pid]);
  try {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const endpoint = {
      server: url,
      caPem: tls.ca.cert,
      certPem: hub.admin.certPem,
      keyPem: hub.admin.keyPem,
    };
    await waitFor(
      "the gateway's /readyz",
      async () => ((await request(endpoint, "GET", "/readyz")).status === 200 ? true : undefined),
      { timeoutMs, processes: [proc] },
    );
    if (options.register !== false)
      await registerOnHub(hub, { port, caPem: tls.ca.cert, timeoutMs });
    options.log?.(
      `gateway ready on ${url}${options.register === false ? "" : ", registered on the hub"}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { process: proc, port, url, caPem: tls.ca.cert, stop };
}

/**
 * The registry record of a fleet member, reached with its admin certificate at `endpoint`
 * (default its server on the host's 127.0.0.1).
 */
export function memberRecord(cluster: FleetCluster, endpoint = cluster.server): ClusterRecord {
  return {
    name: cluster.name,
    endpoint,
    caPem: cluster.caPem,
    credential: {
      type: "X509Certificate",
      certPem: cluster.admin.certPem,
      keyPem: cluster.admin.keyPem,
    },
    labels: { ...(cluster.spec.labels ?? {}) },
  };
}

/**
 * Registers every non-hub cluster of the fleet on the hub with its configured labels, at the
 * address `endpoint` gives (default each server on 127.0.0.1; a gateway running as a pod
 * reaches members at their relay address inside real nodes instead).
 */
export async function joinFleetMembers(
  fleet: Fleet,
  endpoint?: (cluster: FleetCluster, index: number) => string,
): Promise<string[]> {
  const registry = clusterRegistry({ hub: kubeConfigOf(hubOf(fleet)) });
  const members = fleet.clusters.filter((c) => !c.hub);
  for (const member of members) {
    const index = fleet.clusters.indexOf(member);
    await registry.create(memberRecord(member, endpoint?.(member, index)));
  }
  return members.map((m) => m.name);
}
