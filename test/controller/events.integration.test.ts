/**
 * The event recorder against a real kube-apiserver (one hub, `local`): an event recorded twice
 * is one Event with count 2; a different message is another Event; after the window, or once
 * the Event is gone from the server, a new Event is created; events about cluster-scoped
 * objects land in `default`; a write the server refuses is logged, never thrown. A fake clock
 * drives the window; every assertion reads the Events back from the server.
 */
import type { CoreV1Event, V1ConfigMap } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createEventRecorder,
  type EventInput,
  type EventRecorder,
  type ObjectReference,
} from "../../core/controller/events.js";
import { FakeClock } from "../../core/testing/fake-clock.js";
import type { Logger } from "../../core/controller/logger.js";
import { ensureBinaries } from "../../fleet/build/binaries.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { clientsFor, type HubClients } from "../support/controller-hub.js";

const namespace = "team-a";
const tenMinutes = 10 * 60_000;

let fleet: Fleet;
let hub: HubClients;
let clock: FakeClock;
let recorder: EventRecorder;
const warnings: Array<{ message: string; fields?: Record<string, unknown> }> = [];

beforeAll(async () => {
  const binaries = await ensureBinaries();
  fleet = await startFleet({ binaries, clusters: [{ name: "local", hub: true }] });
  hub = clientsFor(fleet.cluster("local"));
  await hub.core.createNamespace({ body: { metadata: { name: namespace } } });
  clock = new FakeClock(Date.now());
  const log: Logger = {
    info: () => {},
    error: () => {},
    warn: (message, fields) => void warnings.push({ message, fields }),
  };
  recorder = createEventRecorder({
    kubeconfig: hub.kubeconfig,
    component: "flotilla-hub",
    host: "hub-0",
    clock,
    log,
  });
});

afterAll(async () => {
  await fleet?.stop();
});

/** A ConfigMap on the hub to hang events on, and its reference. */
async function configMap(name: string): Promise<ObjectReference> {
  const body: V1ConfigMap = { metadata: { name, namespace }, data: { a: "1" } };
  const created = await hub.core.createNamespacedConfigMap({ namespace, body });
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    name,
    namespace,
    uid: created.metadata?.uid,
    resourceVersion: created.metadata?.resourceVersion,
  };
}

/** The Events about the object named `name` in `ns`, oldest first. */
async function eventsAbout(name: string, ns = namespace): Promise<CoreV1Event[]> {
  const list = await hub.core.listNamespacedEvent({
    namespace: ns,
    fieldSelector: `involvedObject.name=${name}`,
  });
  return list.items.sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
}

/** The one Event of `events` (the test fails when there are more or none). */
function only(events: CoreV1Event[]): CoreV1Event {
  expect(events).toHaveLength(1);
  return events[0] as CoreV1Event;
}

const rendered = (ref: ObjectReference, message = "rendered 3 objects"): EventInput => ({
  involvedObject: ref,
  type: "Normal",
  reason: "Rendered",
  message,
});

describe("the event recorder", () => {
  it("records an event twice as one Event with count 2", async () => {
    const ref = await configMap("shop");
    await recorder.recordEvent(rendered(ref));
    const first = only(await eventsAbout("shop"));
    await clock.advance(90_000);
    await recorder.recordEvent(rendered(ref));

    const event = only(await eventsAbout("shop"));
    expect(event).toMatchObject({
      type: "Normal",
      reason: "Rendered",
      message: "rendered 3 objects",
      count: 2,
      source: { component: "flotilla-hub", host: "hub-0" },
      reportingComponent: "flotilla-hub",
      involvedObject: { kind: "ConfigMap", name: "shop", namespace, uid: ref.uid },
    });
    expect(event.metadata.name).toBe(first.metadata.name);
    expect(event.firstTimestamp).toEqual(first.firstTimestamp);
    expect(Number(event.lastTimestamp) - Number(event.firstTimestamp)).toBe(90_000);
    expect(warnings).toEqual([]);
  });

  it("counts identical events recorded concurrently on one Event", async () => {
    const ref = await configMap("burst");
    await Promise.all([1, 2, 3].map(() => recorder.recordEvent(rendered(ref))));
    const events = await eventsAbout("burst");
    expect(events.map((e) => e.count)).toEqual([3]);
  });

  it("creates another Event for another message, and after the window", async () => {
    const ref = await configMap("web");
    await recorder.recordEvent(rendered(ref));
    await recorder.recordEvent(rendered(ref, "rendered 4 objects"));
    expect((await eventsAbout("web")).map((e) => e.count)).toEqual([1, 1]);
    await clock.advance(tenMinutes + 1_000);
    await recorder.recordEvent(rendered(ref));
    const messages = (await eventsAbout("web")).map((e) => `${e.message} ×${e.count}`);
    expect(messages.sort()).toEqual([
      "rendered 3 objects ×1",
      "rendered 3 objects ×1",
      "rendered 4 objects ×1",
    ]);
  });

  it("creates a new Event when the one it would update is gone", async () => {
    const ref = await configMap("gone");
    await recorder.recordEvent(rendered(ref));
    const [event] = await eventsAbout("gone");
    await hub.core.deleteNamespacedEvent({ name: event?.metadata.name ?? "", namespace });
    await recorder.recordEvent(rendered(ref));
    const events = await eventsAbout("gone");
    expect(events.map((e) => e.count)).toEqual([1]);
    expect(events[0]?.metadata.name).not.toBe(event?.metadata.name);
  });

  it("puts events about cluster-scoped objects in default", async () => {
    const ref = { apiVersion: "v1", kind: "Namespace", name: namespace };
    await recorder.recordEvent({ ...rendered(ref), type: "Warning", reason: "Quota" });
    const events = await eventsAbout(namespace, "default");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "Warning", reason: "Quota", count: 1 });
  });

  it("logs instead of throwing when the server refuses the Event", async () => {
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "x", namespace: "no-such-namespace" };
    await expect(recorder.recordEvent(rendered(ref))).resolves.toBeUndefined();
    expect(warnings).toEqual([
      {
        message: "could not record event",
        fields: expect.objectContaining({ object: "ConfigMap no-such-namespace/x" }) as unknown,
      },
    ]);
  });
});
