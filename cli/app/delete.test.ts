import { describe, expect, it } from "vitest";
import { FakeClock } from "../../core/testing/fake-clock.js";
import { UpstreamUnavailableError } from "../../core/errors.js";
import type { ApplicationsClient } from "./applications.js";
import { appDelete, stillThere, waitUntilGone } from "./delete.js";
import type { LiveApplication } from "./live-app.js";

const stuck: LiveApplication = {
  metadata: {
    name: "web",
    namespace: "prod",
    finalizers: ["app.oam.dev/resource-tracker-finalizer"],
  },
  spec: {},
};

/** Settles `promise` while advancing `clock` in steps (nothing sleeps for real). */
async function drive<T>(clock: FakeClock, promise: Promise<T>, stepMs = 100): Promise<T> {
  let settled = false;
  // Observe the outcome at once, so a rejection is never left unhandled while time advances.
  const outcome = promise.then(
    (value) => ((settled = true), { value }),
    (error: unknown) => ((settled = true), { error }),
  );
  for (let i = 0; i < 10_000 && !settled; i++) await clock.advance(stepMs);
  const result = await outcome;
  if ("error" in result) throw result.error;
  return result.value;
}

describe("waiting for an application to go", () => {
  it("returns as soon as it is gone, with the time it took", async () => {
    const clock = new FakeClock(1_000);
    let reads = 0;
    const find = () => Promise.resolve(++reads < 4 ? stuck : undefined);
    const result = await drive(clock, waitUntilGone({ find, clock, timeoutMs: 60_000 }));
    expect(result).toEqual({ gone: true, elapsedMs: 1_500 });
    expect(reads).toBe(4);
  });

  it("gives up at the deadline with what it last saw", async () => {
    const clock = new FakeClock(0);
    let reads = 0;
    const find = () => {
      reads++;
      return Promise.resolve(stuck);
    };
    const result = await drive(clock, waitUntilGone({ find, clock, timeoutMs: 2_000 }));
    expect(result).toEqual({ gone: false, last: stuck });
    expect(clock.now()).toBeGreaterThanOrEqual(2_000);
    expect(reads).toBe(5); // at 0, 500, 1000, 1500 and the deadline
  });

  it("explains the timeout with the pending finalizers", () => {
    const ref = { name: "web", namespace: "prod" };
    expect(stillThere(ref, stuck, 60_000)).toBe(
      'application "web" in namespace "prod" was not deleted within 60s: its finalizers ' +
        '"app.oam.dev/resource-tracker-finalizer" are still pending (the hub removes what the ' +
        'application delivered first); see "flotilla status web -n prod"',
    );
    expect(
      stillThere(ref, { ...stuck, metadata: { ...stuck.metadata, finalizers: [] } }, 5_000),
    ).toContain("within 5s: it is still there");
  });

  it("fails the command with a typed error when time runs out", async () => {
    const clock = new FakeClock(0);
    const deleted: string[] = [];
    const apps = {
      delete: (ref) => {
        deleted.push(`${ref.namespace}/${ref.name}`);
        return Promise.resolve();
      },
      find: () => Promise.resolve(stuck),
    } as Partial<ApplicationsClient> as ApplicationsClient;
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    const ref = { name: "web", namespace: "prod" };
    const run = appDelete({ apps, ref, wait: true, timeoutMs: 1_000, clock, io });
    await expect(drive(clock, run)).rejects.toBeInstanceOf(UpstreamUnavailableError);
    expect(deleted).toEqual(["prod/web"]);
    expect(err).toEqual(['Waiting for application "web" in namespace "prod" to be deleted…']);
  });
});
