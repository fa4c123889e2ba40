import { describe, expect, it } from "vitest";
import {
  applicationsTargeting,
  matchesLabelSelector,
  selectorFromValue,
  topologyPlacements,
  type ApplicationLike,
} from "./selector.js";

const app = (name: string, ...properties: unknown[]): ApplicationLike => ({
  metadata: { name, namespace: "team-a" },
  spec: {
    policies: [
      { name: "override", type: "override", properties: { clusters: ["member-1"] } },
      ...properties.map((p, i) => ({ name: `topo-${i}`, type: "topology", properties: p })),
    ],
  },
});

const member = { name: "member-1", labels: { region: "eu", tier: "prod" } };

describe("label selectors", () => {
  it("matches matchLabels and every matchExpressions operator", () => {
    const labels = { region: "eu", tier: "prod" };
    expect(matchesLabelSelector({ matchLabels: { region: "eu" } }, labels)).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { region: "us" } }, labels)).toBe(false);
    const expr = (operator: string, values?: string[], key = "tier") =>
      matchesLabelSelector(
        { matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] },
        labels,
      );
    expect(expr("In", ["prod", "dev"])).toBe(true);
    expect(expr("In", ["dev"])).toBe(false);
    expect(expr("NotIn", ["dev"])).toBe(true);
    expect(expr("NotIn", ["prod"])).toBe(false);
    expect(expr("NotIn", ["x"], "missing")).toBe(true);
    expect(expr("Exists")).toBe(true);
    expect(expr("Exists", undefined, "missing")).toBe(false);
    expect(expr("DoesNotExist", undefined, "missing")).toBe(true);
    expect(expr("DoesNotExist")).toBe(false);
    expect(matchesLabelSelector({}, labels)).toBe(true);
  });

  it("reads KubeVela's map shorthand and the full form; malformed selectors are 'invalid'", () => {
    expect(selectorFromValue({ region: "eu" })).toEqual({ matchLabels: { region: "eu" } });
    expect(selectorFromValue({ matchExpressions: [{ key: "a", operator: "Exists" }] })).toEqual({
      matchExpressions: [{ key: "a", operator: "Exists" }],
    });
    expect(selectorFromValue(undefined)).toBeUndefined();
    expect(selectorFromValue("region=eu")).toBe("invalid");
    expect(selectorFromValue({ matchExpressions: [{ key: "a", operator: "Near" }] })).toBe(
      "invalid",
    );
    expect(selectorFromValue({ matchExpressions: [{ key: "a", operator: "In" }] })).toBe("invalid");
    expect(
      selectorFromValue({ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }),
    ).toBe("invalid");
    expect(selectorFromValue({ matchLabels: { a: "b" }, other: 1 })).toBe("invalid");
  });
});

describe("applications targeting a cluster", () => {
  it("reads only topology policies; explicit clusters win over selectors (KubeVela's order)", () => {
    const placements = topologyPlacements(
      app("a", { clusters: ["x"], clusterLabelSelector: { region: "eu" } }),
    );
    expect(placements).toEqual([{ policy: "topo-0", clusters: ["x"] }]);
    expect(
      applicationsTargeting([app("a", { clusters: ["x"], clusterLabelSelector: {} })], member),
    ).toEqual([]);
  });

  it("finds apps by name, by clusterLabelSelector, by the deprecated clusterSelector", () => {
    const apps = [
      app("by-name", { clusters: ["member-2", "member-1"] }),
      app("by-labels", { clusterLabelSelector: { region: "eu" } }),
      app("by-old-selector", { clusterSelector: { tier: "prod" } }),
      app("by-expressions", {
        clusterSelector: { matchExpressions: [{ key: "region", operator: "In", values: ["eu"] }] },
      }),
      app("all-clusters", { clusterLabelSelector: {} }),
      app("elsewhere", { clusters: ["member-2"] }, { clusterLabelSelector: { region: "us" } }),
      app("hub-only", { namespace: "prod" }),
      app("broken", {
        clusterSelector: {
          matchExpressions: [{ key: "region", operator: "Near", values: ["eu"] }],
        },
      }),
      { metadata: { name: "no-policies", namespace: "team-b" }, spec: {} },
    ];
    const uses = applicationsTargeting(apps, member);
    expect(uses.map((u) => `${u.namespace}/${u.name}:${u.policy}:${u.via}`)).toEqual([
      "team-a/by-name:topo-0:name",
      "team-a/by-labels:topo-0:selector",
      "team-a/by-old-selector:topo-0:selector",
      "team-a/by-expressions:topo-0:selector",
      "team-a/all-clusters:topo-0:selector",
    ]);
  });

  it("counts apps without a cluster choice, or without topology, as targeting local", () => {
    const apps = [app("hub-only", { namespace: "prod" }), { metadata: { name: "plain" } }];
    const uses = applicationsTargeting(apps, { name: "local", labels: {} });
    expect(uses.map((u) => `${u.namespace}/${u.name}`)).toEqual([
      "team-a/hub-only",
      "default/plain",
    ]);
  });
});
