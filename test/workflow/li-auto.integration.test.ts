/**
 * The Li Auto seed end to end on a real hub (test/fixtures/render/li-auto: the seed's
 * application and definitions, with the `encoding/json` import it forgot). Changes made here
 * to the seed, as the seed leaves them open: its config-center address ("appolo-address")
 * becomes a local stand-in server, and apply-helm's read names the HelmRelease it waits for
 * and waits for Flux's Ready condition (the seed reads an unnamed object's `status.phase`,
 * marked "todo"). No Flux or Argo controller runs offline: the test installs their CRDs and
 * plays them by writing the HelmRelease's and the Rollout's status, and checks the workflow
 * waits until it does.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { CustomObjectsApi, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { installCrds, loadCrds } from "../../core/cluster/crds.js";
import type { JsonObject } from "../../core/json.js";
import { localServer } from "../../engine/testing/workflow-cue.js";
import {
  applyApp,
  eventually,
  readApp,
  setUpHubWorld,
  type AppView,
  type HubWorld,
} from "../support/hub-world.js";

const fixtures = path.join(import.meta.dirname, "../fixtures");
const seed = path.join(fixtures, "render/li-auto");
const NS = "default";
const APP = "lixiang-app";

let world: HubWorld;
let server: Awaited<ReturnType<typeof localServer>>;

const documents = (file: string): JsonObject[] =>
  parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJSON() as JsonObject | null)
    .filter((d): d is JsonObject => d !== null);

/** The seed's step definitions with the config center and the helm read filled in. */
function stepDefinitions(url: string): JsonObject[] {
  const text = readFileSync(path.join(seed, "workflow-step-definitions.yaml"), "utf8")
    .replace('"appolo-address"', JSON.stringify(`${url}/apollo`))
    .replace(
      /value: \{\n(\s*)\/\/ redis 的元数据\n\s*\.\.\.\n\s*\}/,
      (_m, indent: string) =>
        `value: {\n${indent}apiVersion: "helm.toolkit.fluxcd.io/v2beta1"\n${indent}kind: "HelmRelease"\n${indent}metadata: { name: parameter.component, namespace: context.namespace }\n${indent.slice(3)}}`,
    )
    .replace(
      'continue: chart.value.status.phase=="ready"',
      'continue: len([for c in chart.value.status.conditions if c.type == "Ready" && c.status == "True" {c}]) > 0',
    );
  return parseAllDocuments(text).map((d) => d.toJSON() as JsonObject);
}

async function createDefinitions(definitions: JsonObject[]): Promise<void> {
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  const plurals: Record<string, string> = {
    ComponentDefinition: "componentdefinitions",
    TraitDefinition: "traitdefinitions",
    WorkflowStepDefinition: "workflowstepdefinitions",
  };
  for (const body of definitions) {
    const meta = body.metadata as { namespace?: string };
    await api.createNamespacedCustomObject({
      group: "core.oam.dev",
      version: "v1beta1",
      plural: plurals[String(body.kind)] ?? "",
      namespace: meta.namespace ?? "vela-system",
      body: { ...body, metadata: { ...meta, namespace: "vela-system" } },
    });
  }
}

beforeAll(async () => {
  world = await setUpHubWorld({ members: [] });
  server = await localServer();
  const crds = [
    ...(await loadCrds(path.join(fixtures, "crds/flux"))),
    ...(await loadCrds(path.join(fixtures, "crds/argo"))),
  ];
  await installCrds({ kubeconfig: world.hubKc, crds });
  await createDefinitions([
    ...documents(path.join(seed, "component-definitions.yaml")),
    ...documents(path.join(seed, "trait-ingress.yaml")),
    ...stepDefinitions(server.url),
  ]);
}, 300_000);

afterAll(async () => {
  await server?.close();
  await world?.stop();
});

const merge = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

type StepView = { name: string; phase: string; message?: string };
const stepsOf = (app: AppView | undefined): StepView[] =>
  (app?.status as { workflow?: { steps: StepView[] } } | undefined)?.workflow?.steps ?? [];
const phaseOf = (app: AppView | undefined, step: string): string | undefined =>
  stepsOf(app).find((s) => s.name === step)?.phase;

async function untilApp(what: string, check: (app: AppView) => boolean): Promise<AppView> {
  let last: AppView | undefined;
  try {
    return await eventually(what, async () => {
      last = await readApp(world, NS, APP);
      return last !== undefined && check(last) ? last : undefined;
    });
  } catch (error) {
    throw new Error(`${String(error)}; last status: ${JSON.stringify(last?.status)}`);
  }
}

const hub = () => world.direct("local");
const ref = (apiVersion: string, kind: string, name: string) => ({
  apiVersion,
  kind,
  namespace: NS,
  name,
});

/** Writes an object's status as its controller would. */
async function setStatus(group: string, plural: string, name: string, status: JsonObject) {
  const api = world.hubKc.makeApiClient(CustomObjectsApi);
  await api.patchNamespacedCustomObjectStatus(
    {
      group,
      version: plural === "rollouts" ? "v1alpha1" : "v2beta1",
      plural,
      namespace: NS,
      name,
      body: { status },
    },
    merge,
  );
}

describe("the Li Auto seed on the hub", { timeout: 300_000 }, () => {
  it("delivers base, registers it, waits for redis and passes base's clusterIP to proxy", async () => {
    const app = documents(path.join(seed, "application.yaml"))[0]!;
    await applyApp(world, { ...app, metadata: { ...(app.metadata as JsonObject), namespace: NS } });

    // base-service: its Deployment becomes ready (kwok runs the pods), then the config center
    // hears about it, and the step exports the Service's clusterIP.
    const waitingForRedis = await untilApp(
      "apply-redis waiting",
      (a) =>
        phaseOf(a, "apply-base-service") === "succeeded" && phaseOf(a, "apply-redis") === "running",
    );
    const posts = server.received.filter((r) => r.url === "/apollo" && r.method === "POST");
    expect(posts).toHaveLength(1);
    const service = await hub().read(ref("v1", "Service", "base-service"));
    const clusterIP = (service?.spec as { clusterIP?: string } | undefined)?.clusterIP;
    expect(clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(waitingForRedis.status?.status).toBe("runningWorkflow");

    // redis: the HelmRelease is applied; nothing moves on until Flux would call it Ready.
    expect(
      await hub().read(ref("helm.toolkit.fluxcd.io/v2beta1", "HelmRelease", "redis")),
    ).toBeDefined();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(phaseOf(await readApp(world, NS, APP), "apply-redis")).toBe("running");
    expect(
      await hub().read(ref("argoproj.io/v1alpha1", "Rollout", "proxy-service")),
    ).toBeUndefined();
    await setStatus("helm.toolkit.fluxcd.io", "helmreleases", "redis", {
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "ReconciliationSucceeded",
          message: "Release reconciliation succeeded",
          lastTransitionTime: new Date().toISOString(),
        },
      ],
    });

    // proxy-service: its Rollout carries BackendIP; the step waits for Argo to roll it out.
    const rollout = await eventually("the proxy Rollout", () =>
      hub().read(ref("argoproj.io/v1alpha1", "Rollout", "proxy-service")),
    );
    const env = (
      rollout.spec as {
        template: {
          spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> };
        };
      }
    ).template.spec.containers[0]?.env;
    expect(env?.find((e) => e.name === "BackendIP")?.value).toBe(clusterIP);
    expect(env?.map((e) => e.name)).toContain("APP_NAME");
    // the Rollout is applied before the step's status is written: wait for the status
    await untilApp(
      "apply-proxy-service waiting for the rollout",
      (a) => phaseOf(a, "apply-proxy-service") === "running",
    );
    const generation = (rollout.metadata as { generation: number }).generation;
    await setStatus("argoproj.io", "rollouts", "proxy-service", {
      replicas: 1,
      readyReplicas: 1,
      observedGeneration: generation,
    });

    const done = await untilApp(
      "workflow succeeded",
      (a) => stepsOf(a).every((s) => s.phase === "succeeded") && stepsOf(a).length === 3,
    );
    expect(stepsOf(done).map((s) => s.name)).toEqual([
      "apply-base-service",
      "apply-redis",
      "apply-proxy-service",
    ]);
    expect(server.received.filter((r) => r.url === "/apollo")).toHaveLength(1);
  });
});
