/**
 * The gateway benchmark's world: a fleet (hub `local` + `member-1`), member-1 registered with
 * the same credential the direct way uses, the gateway in its own process (started as the
 * fleet starts it, with the benchmark's audience and optional node options or entry point),
 * and the three ways to member-1.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { ClusterRecord } from "../../core/cluster/types.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { registerOnHub, startFleetGateway, type FleetGateway } from "../../fleet/gateway.js";
import { stopPids } from "../../fleet/processes.js";
import * as s from "../../test/support/gateway-world.js";
import {
  CRUD_NS,
  LIST_NS,
  MEMBER,
  MEMBER_CREDENTIAL,
  NODE_ARGS,
  SA_NAME,
  SA_NAMESPACE,
  WATCH_NS,
  log,
  way,
  type Way,
} from "./way.js";

export interface World {
  readonly fleet: Fleet;
  readonly gateway: FleetGateway;
  /** The gateway's entry point, relative to the repository. */
  readonly entry: string;
  readonly ways: { direct: Way; gateway: Way; aggregated?: Way };
}

/** Namespaces on member-1, and 20 small ConfigMaps to list. */
async function prepareMember(member: KubeConfig): Promise<void> {
  for (const ns of [CRUD_NS, LIST_NS, WATCH_NS]) await s.ensureNamespace(member, ns);
  const core = member.makeApiClient(CoreV1Api);
  for (let i = 0; i < 20; i++) {
    await core.createNamespacedConfigMap({
      namespace: LIST_NS,
      body: { metadata: { name: `list-${i}` }, data: { index: String(i), text: "x".repeat(200) } },
    });
  }
}

const repoRoot = path.join(import.meta.dirname, "..", "..");

/**
 * The gateway as it runs in production: compiled JavaScript (`npm run build`, dist/), without
 * tsx's loader in the process (about 80 MiB of RSS). BENCH_GATEWAY_ENTRY picks another entry.
 */
function gatewayEntry(): string {
  const chosen = process.env.BENCH_GATEWAY_ENTRY;
  if (chosen !== undefined) return path.resolve(chosen);
  log("compiling (npm run build)");
  execFileSync("npm", ["run", "--silent", "build"], { cwd: repoRoot, stdio: "inherit" });
  return path.join(repoRoot, "dist", "gateway", "main.js");
}

/** Starts the gateway in its own node process and waits for `/readyz`. */
function startGatewayProcess(fleet: Fleet, entry: string): Promise<FleetGateway> {
  const profDir = process.env.BENCH_GATEWAY_CPU_PROF;
  return startFleetGateway({
    fleet,
    register: false,
    entry,
    nodeArgs: [
      ...(profDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profDir)}`]),
      ...NODE_ARGS,
    ],
    args: ["--audience", s.AUDIENCE],
  });
}

/** The aggregated path, or undefined (with a message) when the hub does not make it Available. */
async function aggregatedWay(fleet: Fleet, gateway: FleetGateway): Promise<Way | undefined> {
  const local = fleet.cluster("local");
  try {
    await registerOnHub(local, { port: gateway.port, caPem: gateway.caPem, timeoutMs: 90_000 });
  } catch (error) {
    log(`aggregated path skipped: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const token = await s.serviceAccountToken(s.kubeConfigOf(local), SA_NAMESPACE, SA_NAME);
  return way("aggregated", local.server, local.caPem, token);
}

/**
 * member-1 as the gateway reaches it: by default with the same ServiceAccount token the direct
 * way uses, so member-1 does the same work either way; with
 * BENCH_GATEWAY_MEMBER_CREDENTIAL=x509, with its admin certificate (the integration test's
 * registration; kube-apiserver then verifies the certificate chain on every request).
 */
function memberRecord(fleet: Fleet, memberToken: string): ClusterRecord {
  const m = fleet.cluster(MEMBER);
  if (MEMBER_CREDENTIAL === "x509") return s.adminRecord(m);
  return {
    name: MEMBER,
    endpoint: m.server,
    caPem: m.caPem,
    credential: { type: "ServiceAccountToken", token: memberToken },
    labels: {},
  };
}

export async function setUp(): Promise<World> {
  const entry = gatewayEntry();
  const binaries = await ensureBinaries({ log });
  log("starting the fleet (local + member-1)");
  const fleet = await startFleet({
    binaries,
    clusters: [{ name: "local", hub: true }, { name: MEMBER }],
  });
  try {
    const hub = s.kubeConfigOf(fleet.cluster("local"));
    const member = s.kubeConfigOf(fleet.cluster(MEMBER));
    await prepareMember(member);
    const memberToken = await s.serviceAccountToken(member, SA_NAMESPACE, SA_NAME);
    await s.bindClusterRole(member, SA_NAMESPACE, SA_NAME, "cluster-admin");
    await s.registerCluster(hub, memberRecord(fleet, memberToken));
    const gatewayToken = await s.serviceAccountToken(hub, SA_NAMESPACE, SA_NAME, [s.AUDIENCE]);
    await s.allowClusterGateways(hub, SA_NAMESPACE, SA_NAME);
    log("starting the gateway process");
    const gateway = await startGatewayProcess(fleet, entry);
    log(`gateway on ${gateway.url}`);
    const m = fleet.cluster(MEMBER);
    const ways = {
      direct: way("direct", m.server, m.caPem, memberToken),
      gateway: way("gateway", gateway.url, gateway.caPem, gatewayToken),
      aggregated: await aggregatedWay(fleet, gateway),
    };
    return { fleet, gateway, entry: path.relative(repoRoot, entry), ways };
  } catch (error) {
    await fleet.stop();
    throw error;
  }
}

export async function tearDown(world: World): Promise<void> {
  for (const w of Object.values(world.ways)) w?.agent.destroy();
  await stopPids([world.gateway.process.pid], 10_000);
  await world.fleet.stop();
}
