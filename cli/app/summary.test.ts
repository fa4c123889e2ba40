import { describe, expect, it } from "vitest";
import type { ApplicationStatusBody } from "../../engine/oam/status.js";
import { statusView, type LiveApplication } from "./live-app.js";
import { statusLines } from "./status.js";
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

describe("status summary with a workflow", () => {
  const withWorkflow: LiveApplication = {
    metadata: { name: "wf", namespace: "default", creationTimestamp: created },
    spec: { components: [{ name: "web", type: "webservice" }] },
    status: {
      status: "workflowSuspending",
      services: [{ name: "web", namespace: "default", cluster: "local", healthy: true }],
      workflow: {
        mode: "StepByStep-DAG",
        phase: "suspending",
        suspend: true,
        terminated: false,
        finished: false,
        steps: [
          { id: "a", name: "deploy-local", type: "deploy", phase: "succeeded" },
          { id: "b", name: "hold", type: "suspend", phase: "suspending" },
        ],
      },
    },
  };

  it("prints the revision being delivered, with the publishVersion, under About", () => {
    const published: LiveApplication = {
      ...app,
      metadata: { ...app.metadata, annotations: { "app.oam.dev/publishVersion": "alpha1" } },
      status: {
        ...app.status,
        latestRevision: { name: "edge-v3", revision: 3, revisionHash: "h" },
      },
    };
    expect(summaryLines(published, statusView(published))[6]).toBe(
      "  Revision:    edge-v3 (publishVersion alpha1)",
    );
    expect(summaryLines(app, statusView(app))[6]).toBe("");
  });

  it("prints the Workflow between About and Services, as vela status", () => {
    const lines = summaryLines(withWorkflow, statusView(withWorkflow));
    expect(lines.slice(6, 24)).toEqual([
      "",
      "Workflow:",
      "",
      "  mode: StepByStep-DAG",
      "  phase: suspending",
      "  finished: false",
      "  Suspend: true",
      "  Terminated: false",
      "  Steps",
      "  - name: deploy-local",
      "    id: a",
      "    type: deploy",
      "    phase: succeeded",
      "  - name: hold",
      "    id: b",
      "    type: suspend",
      "    phase: suspending",
      "",
    ]);
    expect(lines.slice(24, 27)).toEqual(["Services:", "", "  - Name: web"]);
  });

  it("keeps the workflow in the raw status of -o json and -o yaml", () => {
    const json = JSON.parse(statusLines(withWorkflow, "json").join("\n")) as {
      workflow?: { phase?: string; steps?: unknown[] };
    };
    expect(json.workflow?.phase).toBe("suspending");
    expect(json.workflow?.steps).toHaveLength(2);
    const yaml = statusLines(withWorkflow, "yaml").join("\n");
    expect(yaml).toContain("workflow:\n  mode: StepByStep-DAG\n  phase: suspending");
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
