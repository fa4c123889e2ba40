import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import {
  applyOncePaths,
  applyOncePolicyOf,
  objectToApply,
  type ApplyOncePolicy,
} from "./apply-once.js";

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    labels: { "app.oam.dev/component": "web", "workload.oam.dev/type": "webservice" },
  },
  spec: {
    replicas: 1,
    template: { spec: { containers: [{ name: "web", image: "nginx:1", resources: {} }] } },
  },
};
const live = {
  ...deployment,
  metadata: { ...deployment.metadata, resourceVersion: "7", uid: "u-1" },
  spec: {
    replicas: 4,
    template: {
      spec: {
        containers: [{ name: "web", image: "nginx:1", resources: { limits: { cpu: "1" } } }],
      },
    },
  },
  status: { readyReplicas: 4 },
};

const policy = (properties: Record<string, unknown>): ApplyOncePolicy | undefined =>
  applyOncePolicyOf([{ name: "drift", type: "apply-once", properties }]);

describe("applyOncePolicyOf", () => {
  it("is undefined without an apply-once policy", () => {
    expect(applyOncePolicyOf([{ name: "t", type: "topology", properties: {} }])).toBeUndefined();
    expect(applyOncePolicyOf()).toBeUndefined();
  });

  it("reads enable and rules, defaulting affect to always", () => {
    expect(policy({ enable: true })).toEqual({ enable: true });
    expect(
      policy({
        enable: true,
        rules: [
          { selector: { resourceTypes: ["Deployment"] }, strategy: { path: ["spec.replicas"] } },
        ],
      }),
    ).toEqual({
      enable: true,
      rules: [
        {
          selector: { resourceTypes: ["Deployment"] },
          strategy: { path: ["spec.replicas"], affect: "always" },
        },
      ],
    });
  });

  it.each([
    [{ enable: "yes" }],
    [{ enable: true, rules: {} }],
    [{ enable: true, rules: [{ strategy: { path: "spec.replicas" } }] }],
    [{ enable: true, rules: [{ strategy: { path: ["spec..replicas"] } }] }],
    [{ enable: true, rules: [{ strategy: { path: [], affect: "sometimes" } }] }],
  ])("rejects malformed properties %j", (properties) => {
    expect(() => policy(properties)).toThrow(InvalidInputError);
  });
});

describe("applyOncePaths", () => {
  it("applies everything without an enabled policy", () => {
    expect(applyOncePaths(deployment, undefined, "stateKeep")).toEqual({ kind: "apply" });
    expect(applyOncePaths(deployment, policy({ enable: false }), "stateKeep")).toEqual({
      kind: "apply",
    });
  });

  it("applies whole objects once: on update yes, on state-keep only when missing", () => {
    const whole = policy({ enable: true });
    expect(applyOncePaths(deployment, whole, "update")).toEqual({ kind: "apply" });
    expect(applyOncePaths(deployment, whole, "stateKeep")).toEqual({ kind: "create-only" });
  });

  it("uses the first selecting rule's paths in the stages its affect names", () => {
    const rules = policy({
      enable: true,
      rules: [
        { selector: { resourceTypes: ["Service"] }, strategy: { path: ["*"] } },
        {
          selector: { componentTypes: ["webservice"] },
          strategy: { path: ["spec.replicas"], affect: "onStateKeep" },
        },
        { selector: { componentNames: ["web"] }, strategy: { path: ["metadata.labels"] } },
      ],
    });
    expect(applyOncePaths(deployment, rules, "stateKeep")).toEqual({
      kind: "keep-paths",
      paths: ["spec.replicas"],
    });
    expect(applyOncePaths(deployment, rules, "update")).toEqual({ kind: "apply" });
    const other = { ...deployment, kind: "ConfigMap", metadata: { name: "x" } };
    expect(applyOncePaths(other, rules, "update")).toEqual({ kind: "apply" });
  });

  it("lets a rule without a strategy select objects without letting them drift", () => {
    const rules = policy({ enable: true, rules: [{ selector: { resourceNames: ["web"] } }] });
    expect(applyOncePaths(deployment, rules, "stateKeep")).toEqual({ kind: "apply" });
  });
});

describe("objectToApply", () => {
  it("takes the kept paths from the live object and nothing else", () => {
    const result = objectToApply(deployment, live, {
      kind: "keep-paths",
      paths: ["spec.replicas", "spec.template.spec.containers[0].resources"],
    });
    expect(result).toEqual({
      ...deployment,
      spec: {
        replicas: 4,
        template: {
          spec: {
            containers: [{ name: "web", image: "nginx:1", resources: { limits: { cpu: "1" } } }],
          },
        },
      },
    });
    expect(deployment.spec.replicas).toBe(1);
  });

  it("keeps the rendered value where the live object has none", () => {
    const bare = { ...live, spec: { template: live.spec.template } };
    const result = objectToApply(deployment, bare, {
      kind: "keep-paths",
      paths: ["spec.replicas"],
    });
    expect(result).toEqual(deployment);
  });

  it("creates missing objects whole and leaves existing ones alone for * and create-only", () => {
    const plan = { kind: "keep-paths", paths: ["*"] } as const;
    expect(objectToApply(deployment, undefined, plan)).toBe(deployment);
    expect(objectToApply(deployment, live, plan)).toBeUndefined();
    expect(objectToApply(deployment, live, { kind: "create-only" })).toBeUndefined();
    expect(objectToApply(deployment, undefined, { kind: "create-only" })).toBe(deployment);
    expect(objectToApply(deployment, live, { kind: "apply" })).toBe(deployment);
  });
});
