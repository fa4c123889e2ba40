/**
 * `startAgent`: one member cluster's agent, wired (probe → summarise → hold → report):
 *
 * - the heartbeat renews the hub Lease every `heartbeatIntervalMs` (`heartbeat.ts`);
 * - every `heartbeatIntervalMs` the member's `/readyz` is probed; every `reportIntervalMs`
 *   its `/version` and NodePools are re-read and the resources (allocatable, requested)
 *   re-sampled, so pod churn costs at most one write per report interval;
 * - node changes (watched) recompute the report within a quarter of a second;
 * - health passes through hysteresis (`health.ts`); a pending flip is looked at again as soon
 *   as it is due;
 * - the report is written only when it changed (`publish.ts`). Before nodes and pods have been
 *   listed once, only an unready API is published (alone, over the hub's last report).
 *
 * Every cycle runs one at a time; a failing hub or member is logged and retried, never fatal.
 */
import type { Registry } from "prom-client";
import { systemClock, type Clock, type TimerHandle } from "../core/controller/clock.js";
import { errorText, silentLogger, type Logger } from "../core/controller/logger.js";
import { connectMember, type Member } from "./collect.js";
import { initialHealth, settleHealth, type HealthState } from "./health.js";
import { createHeartbeat } from "./heartbeat.js";
import type { KubeClient } from "../core/kube/client.js";
import { agentMetrics, type AgentMetrics } from "./metrics.js";
import { createReportWriter, type ReportWriter } from "./publish.js";
import type { ClusterReport } from "../core/cluster/agent-contract.js";
import { buildReport, type NodePoolSummary, type ReportContent } from "./report.js";
import { startTokenRenewal } from "./token.js";

export interface AgentOptions {
  readonly cluster: string;
  /** The hub, with the agent's own credential (`provisionAgentAccess`). */
  readonly hub: KubeClient;
  readonly member: KubeClient;
  /** Default 2 s. */
  readonly heartbeatIntervalMs?: number;
  /** The Lease's `leaseDurationSeconds`; default 10 s. */
  readonly leaseDurationMs?: number;
  /** Default 10 s. */
  readonly reportIntervalMs?: number;
  /** Default 10 s. */
  readonly healthThresholdMs?: number;
  /** Renew a bound hub token before it expires; default true. */
  readonly renewToken?: boolean;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly metrics?: Registry;
}

export interface RunningAgent {
  /** Stops every loop and waits for work in flight. The Lease is left to expire. */
  stop(): Promise<void>;
  /** When the Lease was last renewed (clock milliseconds). */
  lastHeartbeat(): number | undefined;
  /** The report as last written to (or read from) the hub. */
  report(): ClusterReport | undefined;
}

/** How soon a node change is looked at (coalescing a burst of watch events). */
const NODE_CHANGE_DELAY_MS = 250;

interface Observations {
  apiReady: boolean;
  version: string;
  pools: NodePoolSummary[];
  resources?: ReportContent["resources"];
  /** Whether `resources` were sampled from listed nodes and pods (not from empty caches). */
  resourcesListed: boolean;
  probedAt: number;
  sampledAt: number;
}

interface Parts {
  readonly member: Member;
  readonly writer: ReportWriter;
  readonly metrics?: AgentMetrics;
}

/** The options with their defaults, in one place. */
function settings(options: AgentOptions) {
  return {
    clock: options.clock ?? systemClock,
    log: options.log ?? silentLogger,
    beatMs: options.heartbeatIntervalMs ?? 2_000,
    leaseMs: options.leaseDurationMs ?? 10_000,
    reportMs: options.reportIntervalMs ?? 10_000,
    thresholdMs: options.healthThresholdMs ?? 10_000,
    metrics: options.metrics === undefined ? undefined : agentMetrics(options.metrics),
  };
}

export function startAgent(options: AgentOptions): RunningAgent {
  const { clock, log, beatMs, leaseMs, reportMs, thresholdMs, metrics } = settings(options);
  const { cluster, hub } = options;

  const parts: Parts = {
    member: connectMember({ client: options.member, onNodesChanged, clock, log }),
    writer: createReportWriter({ hub, cluster, clock, log }),
    ...(metrics === undefined ? {} : { metrics }),
  };
  const heartbeat = createHeartbeat({
    hub,
    cluster,
    intervalMs: beatMs,
    leaseDurationMs: leaseMs,
    clock,
    log,
    ...(metrics === undefined ? {} : { onBeat: (ok, at) => metrics.heartbeat(ok, at) }),
  });
  const stopToken =
    options.renewToken === false ? () => {} : startTokenRenewal({ hub, cluster, clock, log });
  const seen: Observations = {
    apiReady: false,
    version: "",
    pools: [],
    resourcesListed: false,
    probedAt: -Infinity,
    sampledAt: -Infinity,
  };
  let health: HealthState = initialHealth;
  let stopped = false;
  let timer: { handle: TimerHandle; at: number } | undefined;
  let running: Promise<void> = Promise.resolve();

  function schedule(delayMs: number): void {
    const at = clock.now() + delayMs;
    if (stopped || (timer !== undefined && timer.at <= at)) return;
    if (timer !== undefined) clock.clearTimeout(timer.handle);
    timer = { handle: clock.setTimeout(run, delayMs), at };
  }

  function onNodesChanged(): void {
    schedule(NODE_CHANGE_DELAY_MS);
  }

  function run(): void {
    timer = undefined;
    running = running.then(cycle).catch((error: unknown) => {
      log.error("agent cycle failed", { error: errorText(error) });
      schedule(beatMs);
    });
  }

  async function observe(now: number): Promise<boolean> {
    const { member } = parts;
    if (now - seen.probedAt >= beatMs) {
      seen.probedAt = now;
      seen.apiReady = await member.probeReady();
    }
    if (now - seen.sampledAt < reportMs) return false;
    seen.sampledAt = now;
    seen.version = (await member.version()) ?? seen.version;
    seen.pools = (await member.nodePools()) ?? seen.pools;
    return true;
  }

  async function cycle(): Promise<void> {
    if (stopped) return;
    const { member, writer } = parts;
    const resample = await observe(clock.now());
    const now = clock.now();
    const settled = settleHealth(
      health,
      { apiReady: seen.apiReady, nodes: member.nodes() },
      now,
      thresholdMs,
    );
    health = settled.state;
    const built = buildReport({
      kubernetesVersion: seen.version,
      apiReady: settled.apiReady,
      nodes: settled.nodes,
      pods: member.pods(),
      pools: seen.pools,
    });
    if (resample || !seen.resourcesListed || seen.resources === undefined) {
      seen.resources = built.resources;
      seen.resourcesListed = member.synced();
    }
    const content: ReportContent = { ...built, resources: seen.resources };
    metrics?.published(content.apiReady, content.nodes.ready, content.nodes.notReady);
    let result: Awaited<ReturnType<ReportWriter["publish"]>> = "unchanged";
    if (member.synced()) result = await writer.publish(content);
    else if (!content.apiReady) result = await writer.publish({ apiReady: false }, true);
    metrics?.reportWrite(result);
    const nextProbe = seen.probedAt + beatMs - clock.now();
    const nextDue = settled.nextDue === undefined ? Infinity : settled.nextDue - clock.now();
    // A failed write is retried with the next probe (at most one heartbeat interval away).
    schedule(Math.max(0, Math.min(nextProbe, nextDue)));
  }

  parts.member.start();
  heartbeat.start();
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer.handle);
      timer = undefined;
      parts.member.stop();
      stopToken();
      await heartbeat.stop();
      await running;
    },
    lastHeartbeat: () => heartbeat.lastRenewed(),
    report: () => parts.writer.current(),
  };
}
