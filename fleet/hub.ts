/**
 * The fleet's hub controller: Flotilla's hub (`hub/main.ts`) started as its own process with
 * the hub cluster's admin kubeconfig, serving `/readyz` and `/metrics` on a loopback port, and
 * waited for until it leads and every informer has listed (or, with `until: "serving"`,
 * until it serves, possibly as a standby). It reaches members through the gateway, so the
 * gateway must be registered on the hub first.
 */
import { hubOf } from "./gateway.js";
import type { Fleet } from "./fleet.js";
import { freePorts } from "./ports.js";
import { programCommand } from "./programs.js";
import { startProcess, stopPids, type StartedProcess } from "./processes.js";
import { waitFor } from "./wait.js";

export interface FleetHub {
  readonly process: StartedProcess;
  /** `http://127.0.0.1:<port>` serving /metrics, /healthz, /readyz. */
  readonly metricsUrl: string;
  stop(): Promise<void>;
}

export interface StartFleetHubOptions {
  readonly fleet: Fleet;
  /** Outlive this process (`flotilla fleet up`). */
  readonly detached?: boolean;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Extra hub flags (e.g. `--state-keep-interval 30s`). */
  readonly args?: readonly string[];
  /**
   * What to wait for: `ready` (default: leading, informers listed) or `serving` (also a
   * standby replica waiting for the leader Lease; `/readyz` answers 200 for both).
   */
  readonly until?: "ready" | "serving";
}

async function readiness(metricsUrl: string): Promise<string> {
  const response = await fetch(`${metricsUrl}/readyz`);
  const body = (await response.text()).trim();
  return response.status === 200 ? body : "starting";
}

export async function startFleetHub(options: StartFleetHubOptions): Promise<FleetHub> {
  const { fleet } = options;
  const [port] = (await freePorts(1)) as [number];
  const proc = startProcess({
    name: "hub-controller",
    ...programCommand("hub", {
      args: [
        ...["--kubeconfig", hubOf(fleet).kubeconfigFile, "--metrics-port", String(port)],
        ...(options.args ?? []),
      ],
    }),
    logDir: fleet.logDir,
    detached: options.detached,
  });
  const metricsUrl = `http://127.0.0.1:${port}`;
  const stop = (): Promise<void> => stopPids([proc.pid]);
  try {
    const wanted = options.until === "serving" ? ["ready", "standby"] : ["ready"];
    await waitFor(
      `the hub controller's /readyz to say ${wanted.join(" or ")}`,
      async () => (wanted.includes(await readiness(metricsUrl)) ? true : undefined),
      // polled often: the workflow benchmark times a restarted hub's resume from here
      { timeoutMs: options.timeoutMs ?? 120_000, intervalMs: 50, processes: [proc] },
    );
    options.log?.(`hub controller ready (metrics on ${metricsUrl}/metrics)`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { process: proc, metricsUrl, stop };
}
