/**
 * Application revisions on a real fleet (hub `local` + `member-1`, gateway, hub controller):
 * an ApplicationRevision per published spec; under `app.oam.dev/publishVersion` an edited
 * spec waits until a new version is published; a new revision re-runs the workflow and
 * delivers nothing of a step before that step runs again (even what the previous revision
 * delivered); `flotilla workflow rollback` goes back to the newest earlier revision that
 * succeeded, and refuses when there is none. The tests build on each other in order.
 */
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonObject } from "../../core/json.js";
import { runCli } from "../support/run-cli.js";
import {
  applyApp,
  eventually,
  join,
  readApp,
  setUpHubWorld,
  type AppView,
  type HubWorld,
} from "../support/hub-world.js";

let world: HubWorld;
const NS = "default";
const PV = "app.oam.dev/publishVersion";

beforeAll(async () => {
  world = await setUpHubWorld({ members: ["member-1"] });
  await join(world, "member-1");
}, 300_000);

afterAll(async () => {
  await world?.stop();
});

const group = { group: "core.oam.dev", version: "v1beta1" };
const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);
const custom = () => world.hubKc.makeApiClient(CustomObjectsApi);

/** A k8s-objects component holding one ConfigMap `<name>` with `data.v = value`. */
const config = (name: string, value: string): JsonObject => ({
  name,
  type: "k8s-objects",
  properties: {
    objects: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { v: value } }],
  },
});

const to = (name: string, cluster: string): JsonObject => ({
  name,
  type: "topology",
  properties: { clusters: [cluster] },
});

const valueOn = async (cluster: string, name: string): Promise<unknown> => {
  const live = await world
    .direct(cluster)
    .read({ apiVersion: "v1", kind: "ConfigMap", namespace: NS, name });
  return (live?.data as { v?: unknown } | undefined)?.v;
};

interface Revision {
  metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: { application: { spec: JsonObject } };
  status?: { succeeded?: boolean };
}

const readRevision = (name: string): Promise<Revision | undefined> =>
  custom()
    .getNamespacedCustomObject({ ...group, plural: "applicationrevisions", namespace: NS, name })
    .then(
      (r) => r as Revision,
      () => undefined,
    );

async function revisionNames(app: string): Promise<string[]> {
  const list = (await custom().listNamespacedCustomObject({
    ...group,
    plural: "applicationrevisions",
    namespace: NS,
    labelSelector: `app.oam.dev/name=${app}`,
  })) as { items: Revision[] };
  return list.items.map((r) => r.metadata.name).sort();
}

const patchApp = (name: string, body: JsonObject) =>
  custom().patchNamespacedCustomObject(
    { ...group, plural: "applications", namespace: NS, name, body },
    merge,
  );

type Status = AppView["status"] & {
  latestRevision?: { name: string; revision: number; revisionHash: string };
  workflow?: { phase: string; steps: Array<{ name: string; phase: string }> };
};

/** Waits until the hub has judged the app's current generation and `check` holds. */
const until = (name: string, what: string, check: (s: Status) => boolean) =>
  eventually(`${name}: ${what}`, async () => {
    const app = await readApp(world, NS, name);
    const status = app?.status;
    if (status === undefined || status.observedGeneration !== app?.metadata.generation) return;
    return check(status) ? status : undefined;
  });

const flotilla = (...args: string[]) =>
  runCli(...args, "--kubeconfig", world.fleet.cluster("local").kubeconfigFile);

describe("application revisions", { timeout: 240_000 }, () => {
  it("snapshots a published version and holds spec edits until a new version is published", async () => {
    const name = "pub";
    const app = (value: string, version: string): JsonObject => ({
      apiVersion: "core.oam.dev/v1beta1",
      kind: "Application",
      metadata: { name, namespace: NS, annotations: { [PV]: version } },
      spec: { components: [config(`${name}-cm`, value)], policies: [to("m1", "member-1")] },
    });
    await applyApp(world, app("1", "alpha1"));
    const first = await until(name, "running", (s) => s.status === "running");
    expect(first.latestRevision?.name).toBe("pub-v1");
    expect(await valueOn("member-1", "pub-cm")).toBe("1");
    const v1 = await eventually("pub-v1 succeeded", async () => {
      const r = await readRevision("pub-v1");
      return r?.status?.succeeded === true ? r : undefined;
    });
    expect(v1.metadata.annotations?.[PV]).toBe("alpha1");
    expect(v1.metadata.labels["app.oam.dev/app-revision-hash"]).toBe(
      first.latestRevision?.revisionHash,
    );
    expect(v1.spec.application.spec).toMatchObject({ components: [config("pub-cm", "1")] });

    // an edit under the same publishVersion is seen by the hub but not delivered
    await patchApp(name, { spec: { components: [config(`${name}-cm`, "2")] } });
    const held = await until(name, "edit judged", (s) => s.status === "running");
    expect(held.latestRevision?.name).toBe("pub-v1");
    expect(await valueOn("member-1", "pub-cm")).toBe("1");
    expect(await revisionNames(name)).toEqual(["pub-v1"]);

    // publishing a new version delivers the edit as pub-v2
    await patchApp(name, { metadata: { annotations: { [PV]: "alpha2" } } });
    const second = await until(
      name,
      "pub-v2 running",
      (s) => s.latestRevision?.name === "pub-v2" && s.status === "running",
    );
    expect(second.latestRevision?.revision).toBe(2);
    await eventually("member-1 has the edit", async () =>
      (await valueOn("member-1", "pub-cm")) === "2" ? true : undefined,
    );
    expect((await readRevision("pub-v2"))?.metadata.annotations?.[PV]).toBe("alpha2");
  });

  const ordered = (value: string): JsonObject => ({
    apiVersion: "core.oam.dev/v1beta1",
    kind: "Application",
    metadata: { name: "rb", namespace: NS },
    spec: {
      components: [config("rb-cm", value)],
      policies: [to("hub", "local"), to("m1", "member-1")],
      workflow: {
        steps: [
          { name: "deploy-hub", type: "deploy", properties: { policies: ["hub"] } },
          { name: "hold", type: "suspend" },
          { name: "deploy-m1", type: "deploy", properties: { policies: ["m1"] } },
        ],
      },
    },
  });

  const resume = async () => {
    const run = await flotilla("workflow", "resume", "rb");
    expect(run.code, run.err).toBe(0);
  };

  it("refuses a rollback when no earlier revision succeeded", async () => {
    await applyApp(world, ordered("1"));
    await until("rb", "held", (s) => s.status === "workflowSuspending");
    const refused = await flotilla("workflow", "rollback", "rb");
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain(
      'cannot roll back application "rb" in namespace "default": no revision before rb-v1 succeeded',
    );
    await resume();
    await until("rb", "v1 succeeded", (s) => s.workflow?.phase === "succeeded");
    expect(await valueOn("member-1", "rb-cm")).toBe("1");
  });

  it("re-runs the workflow for a new revision, delivering each step's objects only when it runs", async () => {
    await applyApp(world, ordered("2"));
    const held = await until(
      "rb",
      "v2 held",
      (s) => s.latestRevision?.name === "rb-v2" && s.status === "workflowSuspending",
    );
    const phaseOf = (step: string) => held.workflow?.steps.find((s) => s.name === step)?.phase;
    expect(phaseOf("deploy-hub")).toBe("succeeded");
    expect(phaseOf("hold")).toBe("suspending");
    expect(phaseOf("deploy-m1") ?? "pending").toBe("pending");
    expect(await valueOn("local", "rb-cm")).toBe("2");
    // deploy-m1 ran in rb-v1's run, but rb-v2's objects wait for it to run again
    expect(await valueOn("member-1", "rb-cm")).toBe("1");
  });

  it("rolls back to the newest earlier revision that succeeded", async () => {
    const run = await flotilla("workflow", "rollback", "rb");
    expect(run.code, run.err).toBe(0);
    expect(run.out).toContain("Found succeeded revision rb-v1 to roll back to (from rb-v2).");
    const v1 = await readRevision("rb-v1");
    const back = await until(
      "rb",
      "rolled back",
      (s) => s.latestRevision?.name === "rb-v3" && s.status === "workflowSuspending",
    );
    expect(back.latestRevision?.revisionHash).toBe(
      v1?.metadata.labels["app.oam.dev/app-revision-hash"],
    );
    expect(await valueOn("local", "rb-cm")).toBe("1");
    const spec = ((await readApp(world, NS, "rb")) as unknown as { spec: JsonObject }).spec;
    expect(spec).toEqual(v1?.spec.application.spec);
    await resume();
    await until("rb", "v3 succeeded", (s) => s.workflow?.phase === "succeeded");
    expect(await valueOn("member-1", "rb-cm")).toBe("1");
    expect(await revisionNames("rb")).toEqual(["rb-v1", "rb-v2", "rb-v3"]);
    expect((await readRevision("rb-v2"))?.status?.succeeded).not.toBe(true);
  });
});
