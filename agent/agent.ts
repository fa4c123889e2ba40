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
import type { ClusterReport } from "../core/cluster/agent-contract.js";
import { systemClock, type Clock, type TimerHandle } from "../core/controller/clock.js";
import { errorText, silentLogger, type Logger } from "../core/controller/logger.js";
import type { KubeClient } from "../core/kube/client.js";
import { connectMember, type Member } from "./collect.js";
import { defaults } from "./config.js";
import { initialHealth, settleHealth, type HealthState, type Settled } from "./health.js";
import { createHeartbeat, type Heartbeat } from "./heartbeat.js";
import { agentMetrics, type AgentMetrics } from "./metrics.js";
import { createReportWriter, type PublishResult, type ReportWriter } from "./publish.js";
import { buildReport, type NodePoolSummary, type ReportContent } from "./report.js";
import { startTokenRenewal } from "./token.js";

export interface AgentOptions {
  readonly cluster: string;
  /** The hub, with the agent's own credential (`provisionAgentAccess`). */
  readonly hub: KubeClient;
  readonly member: KubeClient;
  /** Default `defaults.heartbeatIntervalMs` (config.ts), as every interval below. */
  readonly heartbeatIntervalMs?: number;
  /** The Lease's `leaseDurationSeconds`. */
  readonly leaseDurationMs?: number;
  readonly reportIntervalMs?: number;
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

interface Settings {
  readonly clock: Clock;
  readonly log: Logger;
  readonly beatMs: number;
  readonly leaseMs: number;
  readonly reportMs: number;
  readonly thresholdMs: number;
  readonly metrics: AgentMetrics | undefined;
}

/** The options with the program's defaults (`config.ts`). */
function settings(options: AgentOptions): Settings {
  return {
    clock: options.clock ?? systemClock,
    log: options.log ?? silentLogger,
    beatMs: options.heartbeatIntervalMs ?? defaults.heartbeatIntervalMs,
    leaseMs: options.leaseDurationMs ?? defaults.leaseDurationMs,
    reportMs: options.reportIntervalMs ?? defaults.reportIntervalMs,
    thresholdMs: options.healthThresholdMs ?? defaults.healthThresholdMs,
    metrics: options.metrics === undefined ? undefined : agentMetrics(options.metrics),
  };
}

class Agent implements RunningAgent {
  readonly #options: AgentOptions;
  readonly #s: Settings;
  readonly #member: Member;
  readonly #writer: ReportWriter;
  readonly #heartbeat: Heartbeat;
  readonly #seen: Observations = {
    apiReady: false,
    version: "",
    pools: [],
    resourcesListed: false,
    probedAt: -Infinity,
    sampledAt: -Infinity,
  };
  #stopToken: () => void = () => undefined;
  #health: HealthState = initialHealth;
  #stopped = false;
  #timer: { handle: TimerHandle; at: number } | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(options: AgentOptions) {
    const s = settings(options);
    const { clock, log, metrics } = s;
    const { cluster, hub } = options;
    this.#options = options;
    this.#s = s;
    const onNodesChanged = (): void => this.#schedule(NODE_CHANGE_DELAY_MS);
    this.#member = connectMember({ client: options.member, onNodesChanged, clock, log });
    this.#writer = createReportWriter({ hub, cluster, clock, log });
    this.#heartbeat = createHeartbeat({
      hub,
      cluster,
      intervalMs: s.beatMs,
      leaseDurationMs: s.leaseMs,
      clock,
      log,
      ...(metrics === undefined ? {} : { onBeat: (ok, at) => metrics.heartbeat(ok, at) }),
    });
  }

  start(): void {
    const { cluster, hub, renewToken } = this.#options;
    const { clock, log } = this.#s;
    if (renewToken !== false) this.#stopToken = startTokenRenewal({ hub, cluster, clock, log });
    this.#member.start();
    this.#heartbeat.start();
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#s.clock.clearTimeout(this.#timer.handle);
    this.#timer = undefined;
    this.#member.stop();
    this.#stopToken();
    await this.#heartbeat.stop();
    await this.#running;
  }

  lastHeartbeat(): number | undefined {
    return this.#heartbeat.lastRenewed();
  }

  report(): ClusterReport | undefined {
    return this.#writer.current();
  }

  /** Runs a cycle in `delayMs`, unless one is already due sooner. */
  #schedule(delayMs: number): void {
    const { clock } = this.#s;
    const at = clock.now() + delayMs;
    if (this.#stopped || (this.#timer !== undefined && this.#timer.at <= at)) return;
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer.handle);
    this.#timer = { handle: clock.setTimeout(() => this.#run(), delayMs), at };
  }

  /** Queues a cycle behind the one running (cycles run one at a time). */
  #run(): void {
    this.#timer = undefined;
    this.#running = this.#running
      .then(() => this.#cycle())
      .catch((error: unknown) => {
        this.#s.log.error("agent cycle failed", { error: errorText(error) });
        this.#schedule(this.#s.beatMs);
      });
  }

  async #cycle(): Promise<void> {
    if (this.#stopped) return;
    const resample = await this.#observe(this.#s.clock.now());
    const settled = settleHealth(
      this.#health,
      { apiReady: this.#seen.apiReady, nodes: this.#member.nodes() },
      this.#s.clock.now(),
      this.#s.thresholdMs,
    );
    this.#health = settled.state;
    const content = this.#content(settled, resample);
    this.#s.metrics?.published(content.apiReady, content.nodes.ready, content.nodes.notReady);
    this.#s.metrics?.reportWrite(await this.#publish(content));
    this.#schedule(this.#nextDelay(settled));
  }

  /** Probes `/readyz` every heartbeat; re-reads version and pools every report interval. */
  async #observe(now: number): Promise<boolean> {
    const seen = this.#seen;
    if (now - seen.probedAt >= this.#s.beatMs) {
      seen.probedAt = now;
      seen.apiReady = await this.#member.probeReady();
    }
    if (now - seen.sampledAt < this.#s.reportMs) return false;
    seen.sampledAt = now;
    seen.version = (await this.#member.version()) ?? seen.version;
    seen.pools = (await this.#member.nodePools()) ?? seen.pools;
    return true;
  }

  /** The report; resources are re-sampled each report interval (and until first listed). */
  #content(settled: Settled, resample: boolean): ReportContent {
    const seen = this.#seen;
    const kept = seen.resources;
    const sample = resample || !seen.resourcesListed || kept === undefined;
    const built = buildReport({
      kubernetesVersion: seen.version,
      apiReady: settled.apiReady,
      nodes: settled.nodes,
      // Summing every pod (10,000 of them) is the cycle's dearest step: only when re-sampling,
      // since otherwise the kept resources are published and the sum would be thrown away.
      pods: sample ? this.#member.pods() : [],
      pools: seen.pools,
    });
    if (!sample) return { ...built, resources: kept };
    seen.resources = built.resources;
    seen.resourcesListed = this.#member.synced();
    return built;
  }

  /** Before nodes and pods were listed once, only an unready API is published. */
  #publish(content: ReportContent): Promise<PublishResult> {
    if (this.#member.synced()) return this.#writer.publish(content);
    if (!content.apiReady) return this.#writer.publish({ apiReady: false }, true);
    return Promise.resolve("unchanged");
  }

  /** The next probe, or sooner when a held flip falls due. */
  #nextDelay(settled: Settled): number {
    const now = this.#s.clock.now();
    const nextProbe = this.#seen.probedAt + this.#s.beatMs - now;
    const nextDue = settled.nextDue === undefined ? Infinity : settled.nextDue - now;
    // A failed write is retried with the next probe (at most one heartbeat interval away).
    return Math.max(0, Math.min(nextProbe, nextDue));
  }
}

/** Starts the agent's loops (heartbeat, token renewal, member watches, report cycles). */
export function startAgent(options: AgentOptions): RunningAgent {
  const agent = new Agent(options);
  agent.start();
  return agent;
}
