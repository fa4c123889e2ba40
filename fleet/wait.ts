/**
 * Polling with a deadline that also watches the processes it depends on: when one of them
 * exits, waiting stops at once with that process's log tail instead of running into the
 * timeout.
 */
import { FleetProcessError, logTail, type StartedProcess } from "./processes.js";

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  readonly processes?: readonly StartedProcess[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Describes a dead process with its log, for error messages. */
export function deathReport(proc: StartedProcess): string {
  return `${proc.name} (pid ${proc.pid}) exited; last lines of ${proc.logFile}:\n${logTail(proc.logFile)}`;
}

function timeoutError(what: string, lastError: string, options: WaitOptions): FleetProcessError {
  const detail = lastError === "" ? "" : ` (last error: ${lastError})`;
  const logs = (options.processes ?? []).map((p) => p.logFile).join(", ");
  return new FleetProcessError(
    `timed out after ${options.timeoutMs} ms waiting for ${what}${detail}; logs: ${logs || "none"}`,
  );
}

/**
 * Calls `check` until it returns a value other than undefined. Errors thrown by `check` count
 * as "not yet" and the last one is reported on timeout.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = "";
  for (;;) {
    const dead = options.processes?.find((p) => p.hasExited());
    if (dead !== undefined)
      throw new FleetProcessError(`while waiting for ${what}: ${deathReport(dead)}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw timeoutError(what, lastError, options);
    await sleep(options.intervalMs ?? 250);
  }
}
