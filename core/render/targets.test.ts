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
});
