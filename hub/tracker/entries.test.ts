import { describe, expect, it } from "vitest";
import { UpstreamUnavailableError } from "../../core/errors.js";
import type { ClusterResult } from "../dispatch/types.js";
import { entryKey, entryOf, trackedObject, trackerEntries } from "./entries.js";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  namespace: "demo",
  name: "web",
  component: "web",
  workloadType: "webservice",
};
const service = {
  apiVersion: "v1",
  kind: "Service",
  namespace: "demo",
  name: "web",
  component: "web",
  trait: "gateway",
};
const role = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRole",
  name: "reader",
  component: "rbac",
  applyOnce: true,
};
const down = new UpstreamUnavailableError("connect ECONNREFUSED");

describe("trackerEntries", () => {
  it("tracks every object of every cluster, applied or failed, at the generation", () => {
    const results: ClusterResult[] = [
      { cluster: "local", ok: true, applied: [deployment, role] },
      {
        cluster: "member-1",
        ok: false,
        error: down,
        applied: [deployment],
        failed: [{ ref: service, error: down }],
      },
    ];
    expect(trackerEntries(results, 3)).toEqual([
      { cluster: "local", ...deployment, generation: 3 },
      { cluster: "local", ...role, generation: 3 },
      { cluster: "member-1", ...deployment, generation: 3 },
      { cluster: "member-1", ...service, generation: 3 },
    ]);
  });

  it("tracks an object once per cluster", () => {
    const results: ClusterResult[] = [
      { cluster: "local", ok: true, applied: [deployment, deployment] },
    ];
    expect(trackerEntries(results, 1)).toHaveLength(1);
  });
});

describe("entryKey", () => {
  it("identifies by cluster, group, kind, namespace and name — not version", () => {
    const v1 = { cluster: "a", ...deployment };
    expect(entryKey(v1)).toBe(entryKey({ ...v1, apiVersion: "apps/v1beta2" }));
    expect(entryKey(v1)).not.toBe(entryKey({ ...v1, cluster: "b" }));
    expect(entryKey(v1)).not.toBe(entryKey({ ...v1, apiVersion: "extensions/v1beta1" }));
    expect(entryKey(v1)).not.toBe(entryKey({ ...v1, namespace: "other" }));
  });
});

describe("entryOf and trackedObject", () => {
  it("record a dispatched object and give it back, without cluster, generation or deleted", () => {
    const digested = { ...service, applyOnce: true, digest: "0123456789abcdef" };
    const entry = entryOf("member-1", digested, 7);
    expect(entry).toEqual({ cluster: "member-1", ...digested, generation: 7 });
    expect(trackedObject({ ...entry, deleted: true })).toEqual(digested);
    expect(trackedObject(entryOf("local", role, 1))).toEqual(role);
  });
});
