import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import { parseSelector, selects, subjectOf, type SelectorSubject } from "./resource-selector.js";

const workload: SelectorSubject = {
  kind: "Deployment",
  name: "web",
  component: "web",
  workloadType: "webservice",
};
const service: SelectorSubject = {
  kind: "Service",
  name: "web",
  component: "web",
  trait: "gateway",
};

describe("selects", () => {
  it("needs at least one condition", () => {
    expect(selects({}, workload)).toBe(false);
    expect(selects({ componentNames: [] }, workload)).toBe(false);
  });

  it("ANDs the given conditions", () => {
    expect(selects({ componentNames: ["web"], resourceTypes: ["Deployment"] }, workload)).toBe(
      true,
    );
    expect(selects({ componentNames: ["web"], resourceTypes: ["Service"] }, workload)).toBe(false);
    expect(selects({ resourceNames: ["web", "api"] }, service)).toBe(true);
  });

  it("matches component types on the workload only, as KubeVela's label does", () => {
    expect(selects({ componentTypes: ["webservice"] }, workload)).toBe(true);
    expect(selects({ componentTypes: ["webservice"] }, service)).toBe(false);
  });

  it("tells workloads from traits by OAM type", () => {
    expect(selects({ oamTypes: ["WORKLOAD"] }, workload)).toBe(true);
    expect(selects({ oamTypes: ["COMPONENT"] }, workload)).toBe(true);
    expect(selects({ oamTypes: ["TRAIT"] }, workload)).toBe(false);
    expect(selects({ oamTypes: ["TRAIT"] }, service)).toBe(true);
    expect(selects({ traitTypes: ["gateway"] }, service)).toBe(true);
  });
});

describe("subjectOf", () => {
  it("reads kind, name and KubeVela's labels", () => {
    const object = {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "web",
        labels: { "app.oam.dev/component": "web", "trait.oam.dev/type": "gateway" },
      },
    };
    expect(subjectOf(object)).toEqual({ ...service, workloadType: undefined });
  });
});

describe("parseSelector", () => {
  it("keeps known keys and rejects non-string lists", () => {
    expect(parseSelector({ componentNames: ["a"], other: 1 }, "rule 0")).toEqual({
      componentNames: ["a"],
    });
    expect(() => parseSelector({ resourceTypes: "Deployment" }, "rule 0")).toThrow(
      InvalidInputError,
    );
  });
});
