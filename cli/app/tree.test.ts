import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { AppliedResource, ServiceStatus } from "../../engine/oam/status.js";
import type { JsonObject } from "../../core/json.js";
import type { LiveResult } from "./live.js";
import { poolCopies, poolOf, treeRow } from "./status.js";
import { connector, treeLines, type TreeRow } from "./tree.js";

const fixture = path.join(
  import.meta.dirname,
  "../../test/fixtures/seeds/seed-edge-nodepool/expected-status-tree.txt",
);

/** 2022-11-02 12:00:24 in the local time zone, and 153 minutes later. */
const applied = new Date(2022, 10, 2, 12, 0, 24);
const now = applied.getTime() + 153 * 60_000;

function helmObject(kind: string, name: string, extra: JsonObject): JsonObject {
  return {
    kind,
    metadata: {
      name,
      namespace: "default",
      creationTimestamp: applied.toISOString(),
      managedFields: [
        { manager: "kube-controller-manager", time: new Date(now).toISOString() },
        { manager: "flotilla", operation: "Apply", time: applied.toISOString() },
      ],
    },
    ...extra,
  };
}

const ready = (message: string): JsonObject => ({
  status: { conditions: [{ type: "Ready", status: "True", message }] },
});

/** The seed's edge-ingress application: two HelmReleases and their HelmRepository. */
function edgeIngressRows(): TreeRow[] {
  const release = (key: string) => ({
    ref: {
      cluster: "local",
      creator: "workflow",
      apiVersion: "helm.toolkit.fluxcd.io/v2beta1",
      kind: "HelmRelease",
      namespace: "default",
      name: `ingress-nginx-${key}`,
    } satisfies AppliedResource,
    object: helmObject(
      "HelmRelease",
      `ingress-nginx-${key}`,
      ready("Release reconciliation succeeded"),
    ),
  });
  const repository = {
    ref: {
      cluster: "local",
      creator: "workflow",
      apiVersion: "source.toolkit.fluxcd.io/v1beta2",
      kind: "HelmRepository",
      namespace: "default",
      name: "ingress-nginx",
    } satisfies AppliedResource,
    object: helmObject("HelmRepository", "ingress-nginx", {
      spec: { url: "https://kubernetes.github.io/ingress-nginx" },
      ...ready("stored artifact for revision '7bce426c...'"),
    }),
  };
  // Out of order on purpose: the tree sorts.
  return [repository, release("shanghai"), release("beijing")].map(({ ref, object }) =>
    treeRow(ref, { state: "found", object }, now),
  );
}

const squeeze = (line: string): string => line.replace(/ +/g, " ");

describe("status --tree layout", () => {
  it("prints the seed's tree: the same cells, connectors and details in the same order", () => {
    const expected = readFileSync(fixture, "utf8")
      .split("\n")
      .filter((l) => l !== "" && !l.startsWith("#"));
    const lines = treeLines(edgeIngressRows(), { detail: true });
    // The seed was re-typed from a blog post whose spaces were collapsed, and its header is
    // not aligned with its rows; compare with runs of spaces squeezed, then check alignment.
    expect(lines.map(squeeze)).toEqual(expected.map(squeeze));
  });

  it("aligns every column with its header, as KubeVela does", () => {
    expect(treeLines(edgeIngressRows(), { detail: true })).toEqual([
      "CLUSTER       NAMESPACE     RESOURCE                           STATUS    APPLY_TIME          DETAIL",
      "local     ─── default   ─┬─ HelmRelease/ingress-nginx-beijing  updated   2022-11-02 12:00:24 Ready: True  Status: Release reconciliation succeeded  Age: 153m",
      "                         ├─ HelmRelease/ingress-nginx-shanghai updated   2022-11-02 12:00:24 Ready: True  Status: Release reconciliation succeeded  Age: 153m",
      "                         └─ HelmRepository/ingress-nginx       updated   2022-11-02 12:00:24 URL: https://kubernetes.github.io/ingress-nginx  Age: 153m  Ready: True  Status: stored artifact for revision '7bce426c...'",
    ]);
  });

  it("branches clusters into namespaces and namespaces into resources", () => {
    const row = (cluster: string, namespace: string, kind: string, apiVersion = "v1"): TreeRow => ({
      cluster,
      namespace,
      apiVersion,
      kind,
      name: "web",
      status: "updated",
      applyTime: "",
      detail: "",
    });
    const lines = treeLines(
      [
        row("member-1", "edge", "Deployment", "apps/v1"),
        row("local", "default", "Deployment", "apps/v1"),
        row("local", "prod", "ConfigMap"),
        row("local", "default", "Service"),
        row("member-1", "default", "Deployment", "apps/v1"),
        row("local", "-", "Namespace"),
        row("member-1", "edge", "Service"),
      ],
      { detail: false },
    );
    expect(lines).toEqual([
      "CLUSTER       NAMESPACE     RESOURCE       STATUS    APPLY_TIME",
      "local     ─┬─ -         ─── Namespace/web  updated",
      "           ├─ default   ─┬─ Service/web    updated",
      "           │             └─ Deployment/web updated",
      "           └─ prod      ─── ConfigMap/web  updated",
      "member-1  ─┬─ default   ─── Deployment/web updated",
      "           └─ edge      ─┬─ Service/web    updated",
      "                         └─ Deployment/web updated",
    ]);
  });

  it("draws KubeVela's box characters", () => {
    const c = (up: boolean, down: boolean, left: boolean, right: boolean) =>
      connector({ up, down, left, right });
    expect(c(false, false, true, true)).toBe("───");
    expect(c(false, true, true, true)).toBe("─┬─");
    expect(c(true, true, false, true)).toBe(" ├─");
    expect(c(true, false, false, true)).toBe(" └─");
    expect(c(true, true, false, false)).toBe(" │ ");
    expect(c(false, false, false, false)).toBe("   ");
    expect(c(true, true, true, true)).toBe("─┼─");
  });
});

describe("tree rows from live objects", () => {
  const ref: AppliedResource = {
    cluster: "member-1",
    creator: "workflow",
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: "web",
    name: "api",
  };

  it("says missing and unknown, with the reason as the detail", () => {
    expect(treeRow(ref, { state: "missing" }, now)).toMatchObject({
      status: "missing",
      applyTime: "",
      detail: "",
    });
    const unknown = treeRow(ref, { state: "unknown", reason: "cluster down" }, now);
    expect(unknown).toMatchObject({ status: "unknown", detail: "Error: cluster down" });
    const lines = treeLines([unknown], { detail: true });
    expect(lines[1]).toBe(
      "member-1  ─── web       ─── Deployment/api unknown                       Error: cluster down",
    );
  });

  it("puts cluster-scoped resources under '-' and an empty cluster under local", () => {
    const row = treeRow(
      { cluster: "", creator: "workflow", apiVersion: "v1", kind: "Namespace", name: "edge" },
      { state: "missing" },
      now,
    );
    expect(row).toMatchObject({ cluster: "local", namespace: "-" });
  });
});

describe("status --tree with edge node pools", () => {
  const row = (pool: string | undefined, kind: string, name: string): TreeRow => ({
    cluster: "edge-1",
    ...(pool === undefined ? {} : { pool }),
    namespace: "default",
    apiVersion: kind === "Service" ? "v1" : "apps/v1",
    kind,
    name,
    status: "updated",
    applyTime: "",
    detail: "",
  });

  it("adds a NODEPOOL level between cluster and namespace, shared objects under '-'", () => {
    const lines = treeLines(
      [
        row("shanghai (NotReady)", "Deployment", "web-shanghai"),
        row(undefined, "Service", "web"),
        row("beijing (Ready)", "Deployment", "web-beijing"),
        row("beijing (Ready)", "Deployment", "api-beijing"),
        { ...row(undefined, "Deployment", "db"), cluster: "member-1" },
      ],
      { detail: false },
    );
    expect(lines).toEqual([
      "CLUSTER       NODEPOOL                NAMESPACE     RESOURCE                STATUS    APPLY_TIME",
      "edge-1    ─┬─ -                   ─── default   ─── Service/web             updated",
      "           ├─ beijing (Ready)     ─── default   ─┬─ Deployment/api-beijing  updated",
      "           │                                     └─ Deployment/web-beijing  updated",
      "           └─ shanghai (NotReady) ─── default   ─── Deployment/web-shanghai updated",
      "member-1  ─── -                   ─── default   ─── Deployment/db           updated",
    ]);
  });

  it("keeps KubeVela's layout when no row is a pool copy", () => {
    const lines = treeLines([row(undefined, "Service", "web")], { detail: false });
    expect(lines).toEqual([
      "CLUSTER       NAMESPACE     RESOURCE    STATUS    APPLY_TIME",
      "edge-1    ─── default   ─── Service/web updated",
    ]);
  });

  const copy = (pool: string, ready?: boolean, extra: Partial<ServiceStatus> = {}) => ({
    name: "web",
    namespace: "default",
    cluster: "edge-1",
    replicaKey: pool,
    healthy: ready !== false,
    nodePool: { name: pool, ...(ready === undefined ? {} : { ready }) },
    ...extra,
  });
  const copies = poolCopies([
    copy("beijing", true),
    copy("shanghai", false),
    copy("bj", undefined),
    { name: "web", namespace: "default", cluster: "member-1", healthy: true },
  ]);
  const ref = (name: string, kind = "Deployment", namespace = "default"): AppliedResource => ({
    cluster: "edge-1",
    creator: "workflow",
    apiVersion: kind === "Deployment" ? "apps/v1" : "v1",
    kind,
    namespace,
    name,
  });
  const deploymentOn = (pool: string, component = "web"): LiveResult => ({
    state: "found",
    object: {
      metadata: { name: "renamed", labels: { "app.oam.dev/component": component } },
      apiVersion: "apps/v1",
      kind: "Deployment",
      spec: { template: { spec: { nodeSelector: { "apps.openyurt.io/nodepool": pool } } } },
    },
  });

  it("finds a copy's pool by its name suffix, the longest pool name first", () => {
    const missing: LiveResult = { state: "unknown", reason: "cluster down" };
    expect(poolOf(ref("web-beijing"), missing, copies)).toBe("beijing (Ready)");
    expect(poolOf(ref("web-shanghai"), missing, copies)).toBe("shanghai (NotReady)");
    expect(poolOf(ref("web-bj"), missing, copies)).toBe("bj (Unknown)");
    expect(poolOf(ref("web", "Service"), missing, copies)).toBeUndefined();
    expect(poolOf(ref("web-beijing", "Deployment", "other"), missing, copies)).toBeUndefined();
    const clusterScoped = { ...ref("x-beijing", "Namespace"), namespace: undefined };
    expect(poolOf(clusterScoped, missing, copies)).toBeUndefined();
  });

  it("prefers the pool a live workload is pinned to, among its component's copies", () => {
    expect(poolOf(ref("renamed"), deploymentOn("shanghai"), copies)).toBe("shanghai (NotReady)");
    expect(poolOf(ref("web-beijing"), deploymentOn("elsewhere"), copies)).toBe("beijing (Ready)");
    expect(poolOf(ref("web-beijing"), deploymentOn("beijing", "other"), copies)).toBeUndefined();
  });

  it("shows a stale copy's pool as Unknown", () => {
    const stale = poolCopies([copy("beijing", true, { stale: true })]);
    expect(poolOf(ref("web-beijing"), { state: "missing" }, stale)).toBe("beijing (Unknown)");
  });
});
