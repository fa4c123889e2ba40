/**
 * Graceful termination for the programs' main: wait for SIGTERM or SIGINT, run the program's
 * `stop` (stop accepting work, finish or abandon in-flight work, release the leader Lease,
 * close servers) and answer the exit code: 0 when it finished within the bound, 1 when it
 * failed or took longer (the process exits anyway, with a log line saying why). A second
 * signal during shutdown exits at once (code 1), as controller-runtime's signal handler does.
 * The signal source, clock and exit are injected so this is tested without a real process.
 */
import { systemClock, type Clock, type TimerHandle } from "./clock.js";
import { errorText, type Logger } from "./logger.js";

/** The part of `process` this uses. */
export interface SignalSource {
  once(event: "SIGTERM" | "SIGINT", listener: () => void): unknown;
}

export interface ShutdownOptions {
  readonly signals: SignalSource;
  readonly clock: Clock;
  readonly log: Logger;
  /** `--graceful-shutdown-timeout`. */
  readonly timeoutMs: number;
  /** Stops the program; awaited up to `timeoutMs`. */
  readonly stop: () => Promise<void>;
  /** Called with 1 on a second signal (`process.exit` in the programs). */
  readonly exit: (code: number) => void;
}

/** Resolves with the first SIGTERM or SIGINT; a second one calls `again`. */
export function terminationSignal(
  signals: SignalSource,
  again: (signal: string) => void,
): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const on = (signal: "SIGTERM" | "SIGINT"): void => {
      const handle = (): void => {
        if (received) again(signal);
        else {
          received = true;
          resolve(signal);
        }
        signals.once(signal, handle);
      };
      signals.once(signal, handle);
    };
    on("SIGTERM");
    on("SIGINT");
  });
}

export type StopOutcome =
  | { readonly kind: "stopped" }
  | { readonly kind: "failed"; readonly error: unknown }
  | { readonly kind: "timed out" };

/** Runs `stop`, but waits for it no longer than `timeoutMs` on `clock`. */
export async function stopWithin(
  stop: () => Promise<void>,
  timeoutMs: number,
  clock: Clock,
): Promise<StopOutcome> {
  let timer: TimerHandle;
  const expired = new Promise<StopOutcome>((resolve) => {
    timer = clock.setTimeout(() => resolve({ kind: "timed out" }), timeoutMs);
  });
  const stopped = stop().then(
    (): StopOutcome => ({ kind: "stopped" }),
    (error: unknown): StopOutcome => ({ kind: "failed", error }),
  );
  const outcome = await Promise.race([stopped, expired]);
  clock.clearTimeout(timer);
  return outcome;
}

/** Waits for a termination signal, stops within the bound, and answers the exit code. */
export async function shutDownOnSignal(options: ShutdownOptions): Promise<number> {
  const { log, timeoutMs } = options;
  const signal = await terminationSignal(options.signals, (again) => {
    log.warn("second signal during shutdown; exiting now", { signal: again });
    options.exit(1);
  });
  log.info("shutting down", { signal, timeoutMs });
  const outcome = await stopWithin(options.stop, timeoutMs, options.clock);
  if (outcome.kind === "stopped") {
    log.info("stopped");
    return 0;
  }
  if (outcome.kind === "failed")
    log.error("shutdown failed; exiting", { error: errorText(outcome.error) });
  else log.error(`shutdown did not finish within ${timeoutMs} ms; exiting anyway`);
  return 1;
}

/**
 * `shutDownOnSignal` for a program's own process: its signals, the system clock and
 * `process.exit` (the one place the three programs' mains share).
 */
export function shutDownProcessOnSignal(
  options: Pick<ShutdownOptions, "log" | "timeoutMs" | "stop">,
): Promise<number> {
  return shutDownOnSignal({
    ...options,
    signals: process,
    clock: systemClock,
    exit: (code) => process.exit(code),
  });
}
