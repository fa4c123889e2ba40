import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../core/json.js";
import { applyTimeOf, detailOf } from "./detail.js";

const created = Date.parse("2026-03-01T10:00:00Z");
const now = created + 5 * 60_000;

const object = (kind: string, rest: JsonObject = {}): JsonObject => ({
  kind,
  metadata: { name: "x", creationTimestamp: new Date(created).toISOString() },
  ...rest,
});

describe("DETAIL", () => {
  it("shows a Deployment's and a StatefulSet's ready counts", () => {
    const deployment = object("Deployment", {
      spec: { replicas: 3 },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    });
    expect(detailOf(deployment, now)).toBe("Ready: 2/3  Up-to-date: 3  Available: 2  Age: 5m");
    expect(detailOf(object("Deployment", { spec: { replicas: 0 } }), now)).toBe(
      "Ready: 0/0  Up-to-date: 0  Available: 0  Age: 5m",
    );
    const sts = object("StatefulSet", { spec: { replicas: 2 }, status: { readyReplicas: 1 } });
    expect(detailOf(sts, now)).toBe("Ready: 1/2  Age: 5m");
  });

  it("shows a DaemonSet's counts", () => {
    const ds = object("DaemonSet", {
      status: {
        desiredNumberScheduled: 4,
        currentNumberScheduled: 4,
        numberReady: 3,
        updatedNumberScheduled: 4,
        numberAvailable: 3,
      },
    });
    expect(detailOf(ds, now)).toBe(
      "Desired: 4  Current: 4  Ready: 3  Up-to-date: 4  Available: 3  Age: 5m",
    );
  });

  it("shows a Service's type, addresses and ports", () => {
    const svc = object("Service", {
      spec: {
        type: "NodePort",
        clusterIP: "10.0.0.12",
        ports: [
          { port: 80, nodePort: 30080, protocol: "TCP" },
          { port: 53, protocol: "UDP" },
        ],
      },
    });
    expect(detailOf(svc, now)).toBe(
      "Type: NodePort  Cluster-IP: 10.0.0.12  External-IP: <none>  Port(s): 80:30080/TCP,53/UDP  Age: 5m",
    );
    const lb = object("Service", {
      spec: { type: "LoadBalancer", clusterIP: "10.0.0.1", ports: [{ port: 443 }] },
      status: { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } },
    });
    expect(detailOf(lb, now)).toContain("External-IP: 1.2.3.4  Port(s): 443/TCP");
  });

  it("shows the Ready condition of HelmReleases, HelmRepositories and other objects", () => {
    const conditions = [
      { type: "Reconciling", status: "False" },
      { type: "Ready", status: "False", message: "install retries exhausted" },
    ];
    expect(detailOf(object("HelmRelease", { status: { conditions } }), now)).toBe(
      "Ready: False  Status: install retries exhausted  Age: 5m",
    );
    const repo = object("HelmRepository", {
      spec: { url: "https://charts.example" },
      status: { conditions: [{ type: "Ready", status: "True" }] },
    });
    expect(detailOf(repo, now)).toBe("URL: https://charts.example  Age: 5m  Ready: True");
    expect(detailOf(object("ConfigMap"), now)).toBe("Age: 5m");
    expect(detailOf({ kind: "ConfigMap" }, now)).toBe("");
  });
});

describe("APPLY_TIME", () => {
  it("is the latest time the hub's field manager applied the object", () => {
    const earlier = new Date(2026, 2, 1, 9, 0, 0);
    const later = new Date(2026, 2, 1, 9, 30, 15);
    const managedFields = [
      { manager: "flotilla", operation: "Apply", time: earlier.toISOString() },
      { manager: "kubectl", operation: "Update", time: new Date(2027, 0, 1).toISOString() },
      { manager: "flotilla", operation: "Update", time: later.toISOString() },
    ];
    expect(applyTimeOf({ metadata: { managedFields } })).toBe("2026-03-01 09:30:15");
    expect(applyTimeOf({ metadata: { managedFields: [managedFields[1]] } })).toBe("");
    expect(applyTimeOf({})).toBe("");
  });
});
