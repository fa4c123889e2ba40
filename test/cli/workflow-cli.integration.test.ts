/**
 * `flotilla workflow suspend|resume|terminate|restart` and the Workflow section of
 * `flotilla status`, against a real hub cluster with the hub controller running in-process
 * (a hub-only fleet: deploy steps target `local`). A local HTTP server receives the webhook
 * steps, so the test sees which steps really ran. The tests build on each other in order.
 */
import { CoreV1Api, CustomObjectsApi, KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliRun } from "../support/run-cli.js";
import type { JsonObject } from "../../core/json.js";
import { localServer } from "../../engine/testing/workflow-cue.js";
import type { RunningHub } from "../../hub/start.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";
import { waitFor } from "../../fleet/wait.js";
import { startTestHub } from "../support/hub-world.js";
import { waitConfig } from "../support/workflow-world.js";

const NS = "default";
const apps = { group: "core.oam.dev", version: "v1beta1", plural: "applications" } as const;

let fleet: Fleet;
let hub: RunningHub;
let kc: KubeConfig;
let hubFile: string;
let server: Awaited<ReturnType<typeof localServer>>;

beforeAll(async () => {
  fleet = await startFleet({ clusters: [{ name: "local", hub: true, nodes: 1 }] });
  hubFile = fleet.cluster("local").kubeconfigFile;
  kc = new KubeConfig();
  kc.loadFromFile(hubFile);
  hub = await startTestHub(kc);
  server = await localServer();
}, 300_000);

afterAll(async () => {
  await server?.close();
  await hub?.stop();
  await fleet?.stop();
});

const flotilla = (...args: string[]): Promise<CliRun> => runCli(...args, "--kubeconfig", hubFile);

interface Step {
  name: string;
  phase: string;
  reason?: string;
  firstExecuteTime?: string;
}
interface Workflow {
  phase: string;
  suspend: boolean;
  terminated: boolean;
  finished: boolean;
  startTime?: string;
  steps: Step[];
}
interface App {
  metadata: { generation: number };
  status?: { status?: string; observedGeneration?: number; workflow?: Workflow };
}

const readApp = async (name: string): Promise<App> =>
  (await kc
    .makeApiClient(CustomObjectsApi)
    .getNamespacedCustomObject({ ...apps, namespace: NS, name })) as App;

/** Waits (up to 90 s: the machine is shared) until the app satisfies `check`. */
const until = (name: string, what: string, check: (app: App) => boolean): Promise<App> =>
  waitFor(
    `${name}: ${what}`,
    async () => {
      const app = await readApp(name);
      return check(app) ? app : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 300 },
  );

const stepOf = (app: App, name: string): Step | undefined =>
  app.status?.workflow?.steps.find((s) => s.name === name);

const hits = (path: string): number => server.received.filter((r) => r.url === path).length;

const readContext = (name: string): Promise<V1ConfigMap | undefined> =>
  kc
    .makeApiClient(CoreV1Api)
    .readNamespacedConfigMap({ namespace: NS, name: `workflow-${name}-context` })
    .catch(() => undefined);

async function create(body: JsonObject, plural: string, namespace: string): Promise<void> {
  await kc
    .makeApiClient(CustomObjectsApi)
    .createNamespacedCustomObject({ ...apps, plural, namespace, body });
}

const application = (name: string, spec: JsonObject): JsonObject => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name, namespace: NS },
  spec: {
    components: [{ name, type: "webservice", properties: { image: "nginx:1.27" } }],
    ...spec,
  },
});

const webhook = (name: string, path: string): JsonObject => ({
  name,
  type: "webhook",
  properties: { url: { value: `${server.url}${path}` } },
});

const later = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && Date.parse(a) > Date.parse(b);

const uidOf = (object: V1ConfigMap | undefined): string | undefined => object?.metadata?.uid;

/** The step's first execution in `after` is later than in `before`. */
const ranAgain = (after: App, before: App, step: string): boolean =>
  later(stepOf(after, step)?.firstExecuteTime, stepOf(before, step)?.firstExecuteTime);

describe("flotilla workflow", { timeout: 240_000 }, () => {
  it("shows a suspended workflow's steps in status, and resume lets it finish", async () => {
    const name = "approve";
    await create(
      application(name, {
        policies: [{ name: "here", type: "topology", properties: { clusters: ["local"] } }],
        workflow: {
          steps: [
            { name: "deploy-here", type: "deploy", properties: { policies: ["here"] } },
            { name: "hold", type: "suspend" },
            webhook("notify", "/approve"),
          ],
        },
      }),
      "applications",
      NS,
    );
    await until(name, "workflowSuspending", (a) => a.status?.status === "workflowSuspending");

    const status = await flotilla("status", name);
    expect(status.code).toBe(0);
    const lines = status.out.split("\n");
    const at = lines.indexOf("Workflow:");
    expect(at).toBeGreaterThan(0);
    expect(lines.indexOf("Services:")).toBeGreaterThan(at);
    expect(lines.slice(at + 2, at + 7)).toEqual([
      "  mode: StepByStep-DAG",
      "  phase: suspending",
      "  finished: false",
      "  Suspend: true",
      "  Terminated: false",
    ]);
    const step = (n: string) => lines.slice(lines.indexOf(`  - name: ${n}`)).slice(0, 4);
    expect(step("deploy-here")).toEqual([
      "  - name: deploy-here",
      expect.stringMatching(/^ {4}id: [0-9a-f]{10}$/) as string,
      "    type: deploy",
      "    phase: succeeded",
    ]);
    expect(step("hold").slice(2)).toEqual(["    type: suspend", "    phase: suspending"]);
    expect(status.out).not.toContain("name: notify");
    expect(hits("/approve")).toBe(0);

    const resumed = await flotilla("workflow", "resume", name);
    expect(resumed).toMatchObject({ code: 0, out: `Successfully resume workflow: ${name}` });
    const done = await until(
      name,
      "workflow succeeded",
      (a) => a.status?.workflow?.finished === true,
    );
    expect(done.status?.workflow?.phase).toBe("succeeded");
    expect(done.status?.workflow?.steps.map((s) => [s.name, s.phase])).toEqual([
      ["deploy-here", "succeeded"],
      ["hold", "succeeded"],
      ["notify", "succeeded"],
    ]);
    expect(hits("/approve")).toBe(1);

    const again = await flotilla("workflow", "resume", name);
    expect(again.code).toBe(1);
    expect(again.err).toBe(
      `error: cannot resume the workflow of application "${name}" in namespace "${NS}": ` +
        "it is not suspended (phase succeeded, finished)",
    );
    const json = await flotilla("status", name, "-o", "json");
    const raw = JSON.parse(json.out) as { workflow?: Workflow };
    expect(raw.workflow?.phase).toBe("succeeded");
    expect(raw.workflow?.steps).toHaveLength(3);
  });

  it("suspends a running workflow by hand, then terminates it", async () => {
    const name = "waiting";
    await kc
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: "vela-system" } } })
      .catch(() => undefined); // already there
    await create(waitConfig, "workflowstepdefinitions", "vela-system");
    await create(
      application(name, {
        workflow: {
          steps: [
            { name: "wait", type: "wait-config", properties: { name: "never-created" } },
            webhook("after", "/after"),
          ],
        },
      }),
      "applications",
      NS,
    );
    await until(name, "step waiting", (a) => stepOf(a, "wait")?.reason === "Wait");

    const suspended = await flotilla("workflow", "suspend", name);
    expect(suspended).toMatchObject({ code: 0, out: `Successfully suspend workflow: ${name}` });
    await until(name, "workflow suspended", (a) => a.status?.status === "workflowSuspending");
    const status = await flotilla("status", name);
    expect(status.out).toContain("  phase: suspending\n  finished: false\n  Suspend: true");

    const terminated = await flotilla("workflow", "terminate", name);
    expect(terminated).toMatchObject({ code: 0, out: `Successfully terminate workflow: ${name}` });
    const done = await until(
      name,
      "workflowTerminated",
      (a) => a.status?.status === "workflowTerminated",
    );
    expect(done.status?.workflow).toMatchObject({ phase: "terminated", finished: true });
    expect(stepOf(done, "wait")).toMatchObject({ phase: "failed", reason: "Terminate" });
    expect(stepOf(done, "after")?.phase ?? "skipped").toBe("skipped");
    expect(hits("/after")).toBe(0);

    for (const op of ["suspend", "terminate"]) {
      const refused = await flotilla("workflow", op, name);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`cannot ${op} the workflow of application "${name}"`);
      expect(refused.err).toContain("it has finished (phase terminated, finished, terminated)");
    }
  });

  it("restarts a finished workflow: its steps run again with a new context", async () => {
    const name = "approve";
    const before = await readApp(name);
    const uidBefore = uidOf(await readContext(name));
    expect(uidBefore).toBeDefined();

    const restarted = await flotilla("workflow", "restart", name);
    expect(restarted).toMatchObject({ code: 0, out: `Successfully restart workflow: ${name}` });
    const again = await until(
      name,
      "workflow started again and suspended",
      (a) =>
        later(a.status?.workflow?.startTime, before.status?.workflow?.startTime) &&
        a.status?.status === "workflowSuspending",
    );
    for (const step of ["deploy-here", "hold"]) expect(ranAgain(again, before, step)).toBe(true);
    expect(stepOf(again, "hold")?.phase).toBe("suspending");
    expect(stepOf(again, "notify")).toBeUndefined();
    const uidAfter = uidOf(await readContext(name));
    expect(uidAfter).toBeDefined();
    expect(uidAfter).not.toBe(uidBefore);

    expect((await flotilla("workflow", "resume", name)).code).toBe(0);
    await until(name, "succeeded again", (a) => a.status?.workflow?.phase === "succeeded");
    expect(hits("/approve")).toBe(2);
  });

  it("refuses an application without a workflow and one that does not exist", async () => {
    const name = "plain";
    await create(application(name, {}), "applications", NS);
    await until(name, "running", (a) => a.status?.status === "running");
    const refused = await flotilla("workflow", "suspend", name);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("it has no workflow status");
    const missing = await flotilla("workflow", "restart", "nothing-here");
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`error: application "nothing-here" not found in namespace "${NS}"`);
  });
});
