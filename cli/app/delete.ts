/**
 * `flotilla delete <app> [-n ns] [--wait] [--timeout 60s]`: deletes an Application. The hub's
 * finalizer removes what the application delivered before the Application itself goes, so by
 * default (as `vela delete`) the command waits until it is gone and says how long that took.
 * Waiting polls the hub with an injected clock; running out of time is an
 * `UpstreamUnavailableError` naming the application and the finalizers still pending.
 */
import { sleep, type Clock } from "../../core/controller/clock.js";
import { UpstreamUnavailableError } from "../../core/errors.js";
import type { Output } from "../output.js";
import type { ApplicationsClient } from "./applications.js";
import { describeApp, type AppRef, type LiveApplication } from "./live-app.js";
import { formatElapsed } from "./time.js";

export type WaitResult =
  | { readonly gone: true; readonly elapsedMs: number }
  | { readonly gone: false; readonly last: LiveApplication };

export interface WaitOptions {
  /** Reads the application: undefined once it is gone. */
  readonly find: () => Promise<LiveApplication | undefined>;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Between reads; default 500 ms. */
  readonly intervalMs?: number;
}

/** `60s`, `1500ms`: a timeout as the user would have written it. */
const formatTimeout = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** Reads until the application is gone or `timeoutMs` passed (one last read at the deadline). */
export async function waitUntilGone(options: WaitOptions): Promise<WaitResult> {
  const start = options.clock.now();
  const deadline = start + options.timeoutMs;
  for (;;) {
    const last = await options.find();
    const now = options.clock.now();
    if (last === undefined) return { gone: true, elapsedMs: now - start };
    if (now >= deadline) return { gone: false, last };
    await sleep(options.clock, Math.min(options.intervalMs ?? 500, deadline - now));
  }
}

/** Why an application is still there, for the timeout message (pure). */
export function stillThere(ref: AppRef, last: LiveApplication, timeoutMs: number): string {
  const finalizers = last.metadata.finalizers ?? [];
  const waiting =
    finalizers.length > 0
      ? `its finalizers ${finalizers.map((f) => `"${f}"`).join(", ")} are still pending ` +
        "(the hub removes what the application delivered first)"
      : "it is still there";
  return (
    `${describeApp(ref)} was not deleted within ${formatTimeout(timeoutMs)}: ${waiting}; ` +
    `see "flotilla status ${ref.name} -n ${ref.namespace}"`
  );
}

export interface DeleteInput {
  readonly apps: ApplicationsClient;
  readonly ref: AppRef;
  readonly wait: boolean;
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly io: Output;
}

export async function appDelete(input: DeleteInput): Promise<void> {
  const { ref, io } = input;
  const started = input.clock.now();
  await input.apps.delete(ref);
  if (!input.wait) {
    io.out(`application "${ref.name}" is being deleted from namespace "${ref.namespace}"`);
    return;
  }
  io.err(`Waiting for ${describeApp(ref)} to be deleted…`);
  const result = await waitUntilGone({
    find: () => input.apps.find(ref),
    clock: input.clock,
    timeoutMs: input.timeoutMs,
  });
  if (!result.gone)
    throw new UpstreamUnavailableError(stillThere(ref, result.last, input.timeoutMs));
  const took = formatElapsed(input.clock.now() - started);
  io.out(`application "${ref.name}" deleted from namespace "${ref.namespace}" in ${took}`);
}
