import { describe, expect, it } from "vitest";
import type { Application } from "../oam/types.js";
import { componentTargets } from "./targets.js";

const app = (spec: Partial<Application["spec"]>): Application => ({
  apiVersion: "core.oam.dev/v1beta1",
  kind: "Application",
  metadata: { name: "a", namespace: "apps" },
  spec: {
    components: [
      { name: "web", type: "webservice" },
      { name: "nginx", type: "helm" },
    ],
    ...spec,
  },
});

describe("componentTargets", () => {
  it("defaults to the hub in the application's namespace", () => {
    expect(componentTargets(app({})).map((t) => t.target)).toEqual([
      { cluster: "local", namespace: "apps", replicaKey: "" },
      { cluster: "local", namespace: "apps", replicaKey: "" },
    ]);
  });

  it("replicates selected components per key, only for policies the deploy steps name", () => {
    const targets = componentTargets(
      app({
        policies: [
          {
            name: "r",
            type: "replication",
            properties: { keys: ["beijing", "shanghai"], selector: ["nginx"] },
          },
          {
            name: "t",
            type: "topology",
            properties: { clusters: ["member-1"], namespace: "prod" },
          },
          { name: "unused", type: "topology", properties: { clusters: ["member-2"] } },
        ],
        workflow: { steps: [{ name: "d", type: "deploy", properties: { policies: ["t", "r"] } }] },
      }),
    );
    expect(
      targets.map(
        (t) => `${t.component}@${t.target.cluster}/${t.target.namespace}/${t.target.replicaKey}`,
      ),
    ).toEqual([
      "web@member-1/prod/",
      "nginx@member-1/prod/beijing",
      "nginx@member-1/prod/shanghai",
    ]);
  });

  it("without a workflow, makes one unit per topology with every override (KubeVela's default)", () => {
    const targets = componentTargets(
      app({
        policies: [
          { name: "east", type: "topology", properties: { clusters: ["member-1"] } },
          { name: "west", type: "topology", properties: { clusters: ["member-2"] } },
          {
            name: "img",
            type: "override",
            properties: { components: [{ name: "web", properties: { image: "nginx:1.20" } }] },
          },
        ],
      }),
    );
    expect(targets.map((t) => `${t.component}@${t.target.cluster}`)).toEqual([
      "web@member-1",
      "nginx@member-1",
      "web@member-2",
      "nginx@member-2",
    ]);
    expect(targets.filter((t) => t.component === "web").map((t) => t.spec.properties)).toEqual([
      { image: "nginx:1.20" },
      { image: "nginx:1.20" },
    ]);
  });

  it("applies a deploy step's overrides only to that step's clusters", () => {
    const targets = componentTargets(
      app({
        policies: [
          { name: "local", type: "topology", properties: { clusters: ["local"] } },
          { name: "prod", type: "topology", properties: { clusters: ["member-1"] } },
          {
            name: "ha",
            type: "override",
            properties: {
              components: [
                { type: "webservice", traits: [{ type: "scaler", properties: { replicas: 3 } }] },
              ],
              selector: ["web"],
            },
          },
        ],
        workflow: {
          steps: [
            { name: "dev", type: "deploy", properties: { policies: ["local"] } },
            { name: "prod", type: "deploy", properties: { policies: ["prod", "ha"] } },
          ],
        },
      }),
    );
    expect(
      targets.map(
        (t) => `${t.component}@${t.target.cluster}:${JSON.stringify(t.spec.traits ?? [])}`,
      ),
    ).toEqual([
      "web@local:[]",
      "nginx@local:[]",
      'web@member-1:[{"type":"scaler","properties":{"replicas":3}}]',
    ]);
  });
});
