/**
 * Stopping and restarting a fleet cluster's kube-apiserver (same port, certificates and etcd
 * data), for tests of a member going away and coming back; and its `/readyz` probe.
 */
import { request, type ApiEndpoint } from "./api.js";
import type { StartClusterInput } from "./cluster.js";
import { stopPids, type StartedProcess } from "./processes.js";
import { waitFor } from "./wait.js";

export interface ApiServerParts {
  readonly input: StartClusterInput;
  readonly endpoint: ApiEndpoint;
  /** The cluster's live process list; a restarted API server replaces its entry. */
  readonly processes: StartedProcess[];
  readonly start: () => StartedProcess;
}

/** Stops and restarts one cluster's API server (for failure tests and benchmarks). */
export interface ApiServerControl {
  stopApiServer(): Promise<void>;
  restartApiServer(): Promise<void>;
}

export function apiServerControl(parts: ApiServerParts): ApiServerControl {
  const { input, endpoint, processes } = parts;
  const name = `${input.spec.name}-kube-apiserver`;
  const current = (): StartedProcess | undefined => processes.find((p) => p.name === name);
  const stopApiServer = async (): Promise<void> => {
    const proc = current();
    if (proc !== undefined) await stopPids([proc.pid]);
  };
  return {
    stopApiServer,
    async restartApiServer(): Promise<void> {
      await stopApiServer();
      const old = current();
      if (old !== undefined) processes.splice(processes.indexOf(old), 1);
      const proc = parts.start();
      await waitFor(
        `${input.spec.name} kube-apiserver /readyz after a restart`,
        () => readyz(endpoint),
        {
          timeoutMs: input.timeoutMs,
          processes: [proc],
        },
      );
    },
  };
}

/** True once the API server answers `/readyz` with 200. */
export async function readyz(endpoint: ApiEndpoint): Promise<true | undefined> {
  const res = await request(endpoint, "GET", "/readyz");
  return res.status === 200 ? true : undefined;
}
