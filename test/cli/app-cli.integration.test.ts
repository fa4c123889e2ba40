/**
 * `flotilla up | ls | status | delete` against a real hub (a hub-only fleet with Flotilla's
 * CRDs). No hub controller runs: the test writes `Application.status` through the status
 * subresource as the controller would, creates the "delivered" objects in the hub (cluster
 * `local`) with the hub's field manager, and plays the controller's finalizer for
 * `delete --wait`. The steps build on each other and run in order.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  loadYaml,
  setHeaderOptions,
  type KubernetesObject,
  type V1CustomResourceDefinition,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { main } from "../../cli/main.js";
import { localTime } from "../../cli/app/time.js";
import { installCrds } from "../../core/cluster/crds.js";
import type { ApplicationStatusBody } from "../../engine/oam/status.js";
import { startFleet, type Fleet } from "../../fleet/fleet.js";

const FINALIZER = "app.oam.dev/resource-tracker-finalizer";
const apps = { group: "core.oam.dev", version: "v1beta1", plural: "applications" } as const;

let fleet: Fleet;
let hubFile: string;
let dir: string;
let kc: KubeConfig;

const custom = (): CustomObjectsApi => kc.makeApiClient(CustomObjectsApi);
const mergePatch = setHeaderOptions("Content-Type", "application/merge-patch+json");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function flotilla(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const code = await main(["node", "flotilla", ...args, "--kubeconfig", hubFile], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

interface StoredApp {
  metadata: {
    generation: number;
    labels?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
    managedFields?: Array<{ manager: string; operation: string }>;
  };
  spec: { components: Array<{ name: string; properties?: { image?: string } }> };
}

const readApp = async (name: string, namespace = "default") =>
  (await custom().getNamespacedCustomObject({ ...apps, namespace, name })) as StoredApp;

/** What the hub controller would write. */
async function writeStatus(name: string, status: ApplicationStatusBody): Promise<void> {
  await custom().patchNamespacedCustomObjectStatus(
    { ...apps, namespace: "default", name, body: { status } },
    mergePatch,
  );
}

/** Server-side applies `object` as the hub's dispatcher does (field manager `flotilla`). */
async function deliver(object: KubernetesObject): Promise<void> {
  await kc
    .makeApiClient(KubernetesObjectApi)
    .patch(object, undefined, undefined, "flotilla", true, PatchStrategy.ServerSideApply);
}

/** A namespaced CRD standing in for Flux's HelmRelease (kind and group as Flux has them). */
const helmReleaseCrd = loadYaml<V1CustomResourceDefinition>(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: helmreleases.helm.toolkit.fluxcd.io }
spec:
  group: helm.toolkit.fluxcd.io
  scope: Namespaced
  names: { kind: HelmRelease, plural: helmreleases, singular: helmrelease, listKind: HelmReleaseList }
  versions:
    - name: v2beta1
      served: true
      storage: true
      subresources: { status: {} }
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`);

const appFile = (labels: string, image: string): string => `
apiVersion: core.oam.dev/v1beta1
kind: Application
metadata:
  name: shop${labels}
spec:
  components:
    - name: web
      type: webservice
      properties: { image: ${image} }
      traits:
        - type: scaler
          properties: { replicas: 2 }
    - name: db
      type: worker
      properties: { image: postgres }
`;

beforeAll(async () => {
  fleet = await startFleet({ clusters: [{ name: "local", hub: true }] });
  hubFile = fleet.cluster("local").kubeconfigFile;
  kc = new KubeConfig();
  kc.loadFromFile(hubFile);
  await installCrds({ kubeconfig: kc });
  await installCrds({ kubeconfig: kc, crds: [helmReleaseCrd] });
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: "edge" } } });
  dir = await mkdtemp(path.join(os.tmpdir(), "flotilla-app-it-"));
});

afterAll(async () => {
  await fleet?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe("flotilla up", () => {
  it("creates an application with server-side apply as flotilla-cli", async () => {
    const file = path.join(dir, "shop.yaml");
    await writeFile(file, appFile("\n  labels: { tier: web }", "nginx:1"));
    const up = await flotilla("up", "-f", file);
    expect(up.err).toBe("");
    expect(up.out).toBe('application "shop" applied in namespace "default"');
    expect(up.code).toBe(0);
    const stored = await readApp("shop");
    expect(stored.spec.components.map((c) => c.name)).toEqual(["web", "db"]);
    expect(stored.metadata.labels).toEqual({ tier: "web" });
    expect(stored.metadata.managedFields).toContainEqual(
      expect.objectContaining({ manager: "flotilla-cli", operation: "Apply" }),
    );
  });

  it("updates it, removing what the file dropped and keeping other managers' fields", async () => {
    // The hub controller's finalizer, set by another manager before the update.
    await custom().patchNamespacedCustomObject(
      {
        ...apps,
        namespace: "default",
        name: "shop",
        body: { metadata: { finalizers: [FINALIZER] } },
      },
      mergePatch,
    );
    const file = path.join(dir, "shop-v2.yaml");
    await writeFile(file, appFile("", "nginx:2"));
    const up = await flotilla("up", "-f", file);
    expect(up.out).toBe('application "shop" applied in namespace "default"');
    const stored = await readApp("shop");
    expect(stored.metadata.generation).toBe(2);
    expect(stored.spec.components[0]?.properties?.image).toBe("nginx:2");
    expect(stored.metadata.labels).toBeUndefined();
    expect(stored.metadata.finalizers).toEqual([FINALIZER]);
  });

  it("applies every application of a file into -n's namespace", async () => {
    const file = path.join(dir, "edge.yaml");
    const edge = appFile("", "nginx:1").replace("name: shop", "name: edge-a");
    await writeFile(file, `${edge}\n---\n${edge.replace("edge-a", "edge-b")}`);
    const up = await flotilla("up", "-f", file, "-n", "edge");
    expect(up.out.split("\n")).toEqual([
      'application "edge-a" applied in namespace "edge"',
      'application "edge-b" applied in namespace "edge"',
    ]);
    expect((await readApp("edge-b", "edge")).spec.components).toHaveLength(2);
  });

  it("refuses a broken file, naming it, and applies nothing from it", async () => {
    const file = path.join(dir, "broken.yaml");
    const good = appFile("", "nginx:1").replace("name: shop", "name: never");
    await writeFile(file, `${good}\n---\nkind: [unclosed\n`);
    const up = await flotilla("up", "-f", file);
    expect(up.code).toBe(1);
    expect(up.err).toMatch(new RegExp(`^error: ${file} \\(document 2\\): invalid YAML: `));
    await expect(readApp("never")).rejects.toThrow();
    const wrongNs = await flotilla("up", "-f", file.replace("broken", "edge"), "-n", "nope");
    expect(wrongNs.code).toBe(1);
    expect(wrongNs.err).toBe(
      'error: applying application "edge-a" in namespace "nope": namespaces "nope" not found',
    );
  });
});

/** The status the hub controller would write for "shop" (timestamps of now). */
function shopStatus(): ApplicationStatusBody {
  const at = JSON.stringify(new Date().toISOString());
  const local = "{ cluster: local, creator: workflow, namespace: default";
  return parse(`
status: running
observedGeneration: 2
conditions:
  - { type: Parsed, status: "True", reason: Parsed, lastTransitionTime: ${at} }
  - type: Healthy
    status: "False"
    reason: Unhealthy
    message: web is unhealthy in member-1
    lastTransitionTime: ${at}
services:
  - name: web
    namespace: default
    cluster: local
    healthy: true
    message: Ready:1/1
    traits: [{ type: scaler, healthy: true }]
  - { name: web, namespace: default, cluster: member-1, healthy: false, message: Ready:0/1 }
  - { name: db, namespace: default, cluster: local, healthy: true, message: Ready:1/1 }
appliedResources:
  - ${local}, apiVersion: v1, kind: ConfigMap, name: gone }
  - ${local}, apiVersion: v1, kind: Service, name: web }
  - ${local}, apiVersion: apps/v1, kind: Deployment, name: web }
  - ${local}, apiVersion: helm.toolkit.fluxcd.io/v2beta1, kind: HelmRelease, name: web }
  - ${local}, apiVersion: source.toolkit.fluxcd.io/v1, kind: HelmRepository, name: c }
  - { cluster: member-9, creator: workflow, apiVersion: apps/v1, kind: Deployment, namespace: default, name: api }
`) as ApplicationStatusBody;
}

/** What the hub's dispatcher would have applied in `local` for "shop". */
const delivered = parseAllDocuments(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 0
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c, image: nginx }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
---
apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata: { name: web, namespace: default }
spec: { chart: { spec: { chart: ingress-nginx } } }
`).map((doc) => doc.toJS() as KubernetesObject);

const RELEASED = "Release reconciliation succeeded";

/** APPLY_TIME as the CLI should print it: the `flotilla` managedFields time of web's object. */
async function hubApplyTime(kind: { apiVersion: string; kind: string }): Promise<string> {
  const metadata = { name: "web", namespace: "default" };
  const object = await kc
    .makeApiClient(KubernetesObjectApi)
    .read<KubernetesObject>({ ...kind, metadata });
  const entry = object.metadata?.managedFields?.find((f) => f.manager === "flotilla");
  return localTime(entry?.time?.toISOString());
}

/** Every row has its `titles` columns starting right under the header's titles. */
function expectAligned(header: string, rows: readonly string[], titles: readonly string[]): void {
  for (const title of titles) {
    const column = header.indexOf(title);
    expect(column).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row[column - 1], `${title}: ${row}`).toBe(" ");
      expect(row[column], `${title}: ${row}`).not.toBe(" ");
    }
  }
}

describe("flotilla status and ls", () => {
  it("prints the summary and the status object", async () => {
    const status = shopStatus();
    await writeStatus("shop", status);
    const summary = await flotilla("status", "shop");
    expect(summary.code).toBe(0);
    const lines = summary.out.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "About:",
      "",
      "  Name:        shop",
      "  Namespace:   default",
    ]);
    expect(lines).toContain("  Status:      running");
    expect(lines).toContain("  Healthy   False    Unhealthy   web is unhealthy in member-1");
    expect(summary.out).toContain(
      [
        "  - Name: web",
        "    Cluster: member-1  Namespace: default",
        "    Type: webservice",
        "    Unhealthy Ready:0/1",
        "    No trait applied",
      ].join("\n"),
    );
    expect(summary.out).toContain("    Healthy Ready:1/1\n    Traits:\n      ✅ scaler");

    const json = await flotilla("status", "shop", "-o", "json");
    expect(JSON.parse(json.out)).toEqual(status);
    const yaml = await flotilla("status", "shop", "-o", "yaml");
    expect(parse(yaml.out)).toEqual(status);
  });

  it("lists applications one row per component, aggregating targets", async () => {
    const ls = await flotilla("ls");
    expect(ls.code).toBe(0);
    const rows = ls.out.split("\n");
    expect(rows[0]).toMatch(
      /^APP\s+COMPONENT\s+TYPE\s+TRAITS\s+PHASE\s+HEALTHY\s+STATUS\s+CREATED-TIME$/,
    );
    const time = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}`;
    expect(rows[1]).toMatch(
      new RegExp(
        String.raw`^shop\s+web\s+webservice\s+scaler\s+running\s+unhealthy\s+` +
          String.raw`local/default: Ready:1/1; member-1/default: Ready:0/1\s+${time}$`,
      ),
    );
    expect(rows[2]).toMatch(
      new RegExp(String.raw`^└─\s+db\s+worker\s+running\s+healthy\s+Ready:1/1\s+${time}$`),
    );
    expect(rows).toHaveLength(3);

    const all = await flotilla("ls", "-A");
    const firsts = all.out.split("\n").map((l) => l.split(/\s+/).slice(0, 2).join(" "));
    expect(firsts).toEqual([
      "NAMESPACE APP",
      "default shop",
      "default └─",
      "edge edge-a",
      "edge └─",
      "edge edge-b",
      "edge └─",
    ]);
    expect((await flotilla("ls", "-n", "nowhere")).out.split("\n")).toHaveLength(1);
  });

  it("prints the resource tree with live state, apply times and details", async () => {
    for (const object of delivered) await deliver(object);
    await custom().patchNamespacedCustomObjectStatus(
      {
        ...{ group: "helm.toolkit.fluxcd.io", version: "v2beta1", plural: "helmreleases" },
        ...{ name: "web", namespace: "default" },
        body: { status: { conditions: [{ type: "Ready", status: "True", message: RELEASED }] } },
      },
      mergePatch,
    );
    const applyTime = await hubApplyTime({ apiVersion: "apps/v1", kind: "Deployment" });
    expect(applyTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const tree = await flotilla("status", "shop", "--tree", "--detail");
    expect(tree.err).toBe("");
    expect(tree.code).toBe(0);
    const [header, ...rows] = tree.out.split("\n");
    expect(header).toMatch(/^CLUSTER {7}NAMESPACE {5}RESOURCE\s+STATUS {4}APPLY_TIME {10}DETAIL$/);
    const at = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`;
    const expected = [
      String.raw`^local     ─── default   ─┬─ ConfigMap/gone\s+missing\s*$`,
      String.raw`^ {25}├─ Service/web\s+updated   ${at} Type: ClusterIP  Cluster-IP: \d+\.\d+\.\d+\.\d+  External-IP: <none>  Port\(s\): 80/TCP  Age: \d+s$`,
      String.raw`^ {25}├─ Deployment/web\s+updated   ${applyTime} Ready: 0/0  Up-to-date: 0  Available: 0  Age: \d+s$`,
      String.raw`^ {25}├─ HelmRelease/web\s+updated   ${at} Ready: True  Status: ${RELEASED}  Age: \d+s$`,
      String.raw`^ {25}└─ HelmRepository/c\s+missing\s*$`,
      String.raw`^member-9  ─── default   ─── Deployment/api\s+unknown {23}Error: cluster "member-9" cannot be reached: the hub.s gateway does not serve it `,
    ];
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => expect(row).toMatch(new RegExp(expected[i] ?? "")));
    expectAligned(header ?? "", rows, ["RESOURCE", "STATUS"]);

    const plain = await flotilla("status", "shop", "--tree");
    expect(plain.out.split("\n")[0]).toMatch(/APPLY_TIME$/);
    expect(plain.out).not.toContain("Age:");
  });

  it("says when an application does not exist", async () => {
    const missing = await flotilla("status", "nope", "-n", "edge");
    expect(missing.code).toBe(1);
    expect(missing.err).toBe('error: application "nope" not found in namespace "edge"');
  });
});

describe("flotilla delete", () => {
  it("times out with a clear error while the hub's finalizer is pending", async () => {
    const started = Date.now();
    const result = await flotilla("delete", "shop", "--timeout", "2s");
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(result.code).toBe(1);
    expect(result.err).toContain(
      `error: application "shop" in namespace "default" was not deleted within 2s: ` +
        `its finalizers "${FINALIZER}" are still pending`,
    );
    expect((await readApp("shop")).metadata.deletionTimestamp).toBeDefined();
    expect((await flotilla("status", "shop")).out).toMatch(/ {2}Deleting: {4}since /);
  });

  it("waits until the finalizer is removed and reports how long it took", async () => {
    const deleting = flotilla("delete", "shop");
    await sleep(1_500);
    expect((await readApp("shop")).metadata.finalizers).toEqual([FINALIZER]);
    await custom().patchNamespacedCustomObject(
      { ...apps, namespace: "default", name: "shop", body: { metadata: { finalizers: null } } },
      mergePatch,
    );
    const result = await deleting;
    expect(result.code).toBe(0);
    const took = /^application "shop" deleted from namespace "default" in (\d+\.\d)s$/.exec(
      result.out,
    );
    expect(took, result.out).not.toBeNull();
    expect(Number(took?.[1])).toBeGreaterThanOrEqual(1.4);
    await expect(readApp("shop")).rejects.toThrow();
    const again = await flotilla("delete", "shop");
    expect(again.err).toBe('error: application "shop" not found in namespace "default"');
  });

  it("returns at once with --no-wait", async () => {
    const result = await flotilla("delete", "edge-a", "-n", "edge", "--no-wait");
    expect(result.out).toBe('application "edge-a" is being deleted from namespace "edge"');
    expect(result.err).toBe("");
  });
});
