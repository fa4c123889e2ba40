/**
 * The heartbeat: the agent renews its Lease on the hub (`vela-system/flotilla-agent-<cluster>`)
 * every interval with a JSON merge patch of `holderIdentity`, `leaseDurationSeconds` (the grace
 * the hub allows) and `renewTime`. A merge patch carries no resourceVersion, so a concurrent
 * writer cannot make it conflict. The Lease is created by `provisionAgentAccess` (the agent's
 * Role cannot create). A failed renewal (hub unreachable, Lease missing, credential refused) is
 * logged and counted; the next tick tries again — the heartbeat never stops on its own.
 */
import type { Clock, TimerHandle } from "../core/controller/clock.js";
import { microTime } from "../core/controller/lease-record.js";
import { errorText, type Logger } from "../core/controller/logger.js";
import { MERGE_PATCH, type KubeClient } from "../core/kube/client.js";
import { agentIdentity, leasePath } from "./names.js";

export interface HeartbeatOptions {
  readonly hub: KubeClient;
  readonly cluster: string;
  readonly intervalMs: number;
  readonly leaseDurationMs: number;
  readonly clock: Clock;
  readonly log: Logger;
  /** Called after each attempt (for metrics): whether the Lease was renewed. */
  readonly onBeat?: (renewed: boolean, at: number) => void;
}

export interface Heartbeat {
  /** Renews now, then every interval. Idempotent. */
  start(): void;
  /** Stops renewing and waits for an attempt in flight. Idempotent. */
  stop(): Promise<void>;
  /** The time of the last successful renewal (clock milliseconds), or undefined. */
  lastRenewed(): number | undefined;
}

/** The merge patch that renews the Lease at `now` — pure. */
export function renewalPatch(cluster: string, now: number, leaseDurationMs: number): object {
  return {
    spec: {
      holderIdentity: agentIdentity(cluster),
      leaseDurationSeconds: Math.max(1, Math.ceil(leaseDurationMs / 1000)),
      renewTime: microTime(now),
    },
  };
}

export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { clock, log, cluster } = options;
  const path = leasePath(cluster);
  // A renewal slower than the interval is as good as missed; do not let them pile up.
  const timeoutMs = Math.max(1_000, options.intervalMs);
  const state = { started: false, stopped: false, failing: false };
  let timer: TimerHandle;
  let inFlight: Promise<void> = Promise.resolve();
  let last: number | undefined;

  async function beat(): Promise<void> {
    const now = clock.now();
    try {
      const body = renewalPatch(cluster, now, options.leaseDurationMs);
      await options.hub.json({ method: "PATCH", path, body, contentType: MERGE_PATCH, timeoutMs });
      last = now;
      if (state.failing) log.info("heartbeat renewed again", { lease: path });
      state.failing = false;
      options.onBeat?.(true, now);
    } catch (error) {
      const message = `renewing the Lease: ${errorText(error)}`;
      // Log the first failure of an outage, not every tick of it.
      if (!state.failing) log.warn("heartbeat failed; retrying every interval", { error: message });
      state.failing = true;
      options.onBeat?.(false, now);
    }
  }

  function tick(): void {
    timer = undefined;
    if (state.stopped) return;
    const started = clock.now();
    inFlight = beat().finally(() => {
      if (state.stopped) return;
      const next = Math.max(0, options.intervalMs - (clock.now() - started));
      timer = clock.setTimeout(tick, next);
    });
  }

  return {
    start() {
      if (state.started) return;
      state.started = true;
      tick();
    },
    async stop() {
      state.stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      await inFlight;
    },
    lastRenewed: () => last,
  };
}
