/**
 * `flotilla up -f app.yaml [-n ns]`: creates or updates the Applications of a file on the hub.
 *
 * Why server-side apply (field manager `flotilla-cli`, conflicts forced) rather than
 * create-or-replace: apply needs no read-modify-write with a resourceVersion, so it cannot
 * lose a race with the hub controller; it never touches `status`, which the controller owns
 * through the status subresource; and it keeps fields other managers set (labels from
 * kubectl, finalizers from the hub) while still removing what an earlier `up` set and the
 * file no longer has. Forcing conflicts makes the file win over other managers for the fields
 * it names, as `vela up` does.
 */
import { readFile } from "node:fs/promises";
import { InvalidInputError } from "../../core/errors.js";
import type { Application } from "../../engine/oam/types.js";
import type { Output } from "../output.js";
import type { ApplicationsClient } from "./applications.js";
import { parseApplicationFile } from "./manifest.js";
import { formatElapsed } from "./time.js";
import { waitUntilRunning, type WaitRunningOptions } from "./wait-running.js";

/**
 * The Applications of `file`, checked and ready to apply (see manifest.ts). Read before the
 * hub is contacted, so a bad file fails fast and nothing is applied.
 */
export async function readApplicationFile(
  file: string,
  namespace: string | undefined,
): Promise<Application[]> {
  const text = await readFile(file, "utf8").catch((error: Error) => {
    throw new InvalidInputError(`cannot read ${file}: ${error.message}`, { cause: error });
  });
  return parseApplicationFile(text, file, namespace);
}

export interface UpInput {
  readonly apps: ApplicationsClient;
  readonly applications: readonly Application[];
  readonly io: Output;
  /** Wait until each application runs (see wait-running.ts). */
  readonly wait?: Pick<WaitRunningOptions, "clock" | "timeoutMs" | "publishVersionOf">;
}

/** Applies the applications in order, one line each; then waits for them when asked. */
export async function appUp(input: UpInput): Promise<void> {
  const stored = [];
  for (const app of input.applications) {
    const live = await input.apps.apply(app);
    stored.push(live);
    input.io.out(
      `application "${live.metadata.name}" applied in namespace "${live.metadata.namespace}"`,
    );
  }
  if (input.wait === undefined) return;
  for (const live of stored) {
    const ref = { name: live.metadata.name, namespace: live.metadata.namespace };
    const took = await waitUntilRunning(
      { apps: input.apps, ref, ...input.wait },
      live.metadata.generation,
    );
    input.io.out(`application "${ref.name}" is running (${formatElapsed(took)})`);
  }
}
