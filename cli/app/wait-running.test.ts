import { describe, expect, it } from "vitest";
import { FakeClock } from "../../core/testing/fake-clock.js";
import { InvalidInputError, UpstreamUnavailableError } from "../../core/errors.js";
import type { ApplicationsClient } from "./applications.js";
import type { LiveApplication } from "./live-app.js";
import { revisionHash } from "../../engine/revision/revision.js";
import { runningVerdict, waitUntilRunning } from "./wait-running.js";

const app = (generation: number, status?: Record<string, unknown>): LiveApplication => ({
  metadata: { name: "web", namespace: "default", generation },
  spec: {},
  ...(status === undefined ? {} : { status }),
});

const failedRender = {
  status: "rendering",
  observedGeneration: 2,
  conditions: [
    { type: "Parsed", status: "True", reason: "Parsed", lastTransitionTime: "t" },
    {
      type: "Rendered",
      status: "False",
      reason: "RenderFailed",
      message: 'unknown trait type "sls"',
      lastTransitionTime: "t",
    },
  ],
};

describe("runningVerdict", () => {
  it("waits for the applied generation, then for running", () => {
    expect(runningVerdict(app(2, { status: "running", observedGeneration: 1 }), 2)).toMatchObject({
      done: false,
    });
    expect(runningVerdict(app(2, { status: "running", observedGeneration: 2 }), 2)).toEqual({
      done: true,
    });
  });

  it("fails at once on a stage that failed on the application's input", () => {
    const verdict = runningVerdict(app(2, failedRender), 2);
    expect(verdict).toMatchObject({ done: false, failed: 'Rendered: unknown trait type "sls"' });
  });

  it("keeps waiting while a cluster is being retried", () => {
    const status = { status: "runningWorkflow", observedGeneration: 2, conditions: [] };
    expect(runningVerdict(app(2, status), 2)).toEqual({
      done: false,
      waiting: "phase runningWorkflow",
    });
  });
});

describe("waitUntilRunning", () => {
  const client = (reads: LiveApplication[]): ApplicationsClient =>
    ({
      get: () => Promise.resolve(reads.length > 1 ? reads.shift()! : reads[0]!),
    }) as unknown as ApplicationsClient;
  const ref = { name: "web", namespace: "default" };

  it("resolves once running and throws a clear error on bad input or timeout", async () => {
    const clock = new FakeClock(0);
    const reads = [app(2), app(2, { status: "running", observedGeneration: 2 })];
    const done = waitUntilRunning({ apps: client(reads), ref, clock, timeoutMs: 10_000 }, 2);
    await clock.advance(1_000);
    await expect(done).resolves.toBe(1_000);

    await expect(
      waitUntilRunning({ apps: client([app(2, failedRender)]), ref, clock, timeoutMs: 10 }, 2),
    ).rejects.toThrow(InvalidInputError);

    const stuck = waitUntilRunning({ apps: client([app(2)]), ref, clock, timeoutMs: 2_000 }, 2);
    const failure = expect(stuck).rejects.toThrow(UpstreamUnavailableError);
    await clock.advance(3_000);
    await failure;
  });

  it("waits for a new publishVersion's revision, and takes an edit held by the same version as done", async () => {
    const clock = new FakeClock(0);
    const spec = { components: [{ name: "web", type: "webservice" }] };
    const published = (version: string, latest: string): LiveApplication => ({
      metadata: {
        name: "web",
        namespace: "default",
        generation: 1,
        annotations: { "app.oam.dev/publishVersion": version },
      },
      spec,
      status: {
        status: "running",
        observedGeneration: 1,
        latestRevision: { name: latest, revision: 1, revisionHash: revisionHash(spec, "alpha1") },
      },
    });
    const versions: Record<string, string> = { "web-v1": "alpha1" };
    const publishVersionOf = (_: unknown, name: string) => Promise.resolve(versions[name]);
    const options = { ref, clock, timeoutMs: 2_000, publishVersionOf };

    // the hub still delivers web-v1 (alpha1) after alpha2 was applied: not done
    const stale = waitUntilRunning(
      { ...options, apps: client([published("alpha2", "web-v1")]) },
      1,
    );
    const failure = expect(stale).rejects.toThrow(
      "the hub still delivers revision web-v1, not what was applied",
    );
    await clock.advance(3_000);
    await failure;

    // same version, the revision's hash is the applied one: done
    const same = published("alpha1", "web-v1");
    await expect(waitUntilRunning({ ...options, apps: client([same]) }, 1)).resolves.toBe(0);

    // same version, an edited spec the hub holds: done as well
    const edited = { ...same, spec: { components: [] } } as LiveApplication;
    await expect(waitUntilRunning({ ...options, apps: client([edited]) }, 1)).resolves.toBe(0);
  });
});
