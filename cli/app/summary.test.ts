import { describe, expect, it } from "vitest";
import type { ApplicationStatusBody } from "../../core/oam/status.js";
import { statusView, type LiveApplication } from "./live-app.js";
import { summaryLines } from "./summary.js";

const created = new Date(2026, 0, 2, 3, 4, 5).toISOString();

const status: ApplicationStatusBody = {
  status: "unhealthy",
  observedGeneration: 2,
  conditions: [
    { type: "Parsed", status: "True", reason: "Parsed", lastTransitionTime: created },
    {
      type: "Healthy",
      status: "False",
      reason: "Unhealthy",
      message: "1 of 2 services unhealthy",
      lastTransitionTime: created,
    },
  ],
  services: [
    {
      name: "ingress",
      namespace: "default",
      cluster: "local",
      replicaKey: "beijing",
      healthy: true,
      message: "Ready:1/1",
      traits: [
        { type: "edge-nginx", healthy: true },
        { type: "gateway", healthy: false, message: "no host" },
      ],
    },
    { name: "db", namespace: "data", cluster: "member-1", healthy: false },
  ],
  appliedResources: [],
};

const app: LiveApplication = {
  metadata: { name: "edge", namespace: "default", creationTimestamp: created },
  spec: { components: [{ name: "ingress", type: "helm" }] },
  status: status as unknown as LiveApplication["status"],
};

describe("status summary", () => {
  it("prints About, the conditions that are not True, and every service", () => {
    const lines = summaryLines(app, statusView(app));
    expect(lines.slice(0, 6)).toEqual([
      "About:",
      "",
      "  Name:        edge",
      "  Namespace:   default",
      expect.stringMatching(/^ {2}Created at: {2}2026-01-02 03:04:05 [+-]\d{4}$/) as string,
      "  Status:      unhealthy",
    ]);
    expect(lines.slice(6)).toEqual([
      "",
      "Conditions:",
      "",
      "  TYPE      STATUS   REASON      MESSAGE",
      "  Healthy   False    Unhealthy   1 of 2 services unhealthy",
      "",
      "Services:",
      "",
      "  - Name: ingress  ReplicaKey: beijing",
      "    Cluster: local  Namespace: default",
      "    Type: helm",
      "    Healthy Ready:1/1",
      "    Traits:",
      "      ✅ edge-nginx",
      "      ❌ gateway: no host",
      "",
      "  - Name: db",
      "    Cluster: member-1  Namespace: data",
      "    Type: -",
      "    Unhealthy",
      "    No trait applied",
    ]);
  });

  it("says when the hub has not reported anything yet", () => {
    const fresh: LiveApplication = { metadata: { name: "new", namespace: "ns" }, spec: {} };
    expect(summaryLines(fresh, statusView(fresh))).toEqual([
      "About:",
      "",
      "  Name:        new",
      "  Namespace:   ns",
      "  Created at:  -",
      "  Status:      - (not reconciled yet)",
      "",
      "Services:",
      "",
      "  No service reported yet.",
    ]);
  });
});

describe("reading a status defensively", () => {
  it("reads missing lists as empty and skips malformed entries", () => {
    const odd: LiveApplication = {
      metadata: { name: "x", namespace: "y" },
      spec: {},
      status: {
        status: "running",
        services: [{ name: "ok", healthy: true }, "junk", { healthy: false }],
        appliedResources: { not: "a list" },
      },
    };
    const view = statusView(odd);
    expect(view.phase).toBe("running");
    expect(view.services.map((s) => s.name)).toEqual(["ok"]);
    expect(view.appliedResources).toEqual([]);
    expect(view.conditions).toEqual([]);
  });
});
