import { describe, expect, it } from "vitest";
import {
  applicationsTargeting,
  resolveTopology,
  topologyChoice,
  type ApplicationLike,
  type SelectableCluster,
} from "./topology.js";

const registry: SelectableCluster[] = [
  { name: "local", labels: {} },
  { name: "prod-1", labels: { env: "prod", region: "eu" } },
  { name: "prod-2", labels: { env: "prod", region: "us" } },
  { name: "dev-1", labels: { env: "dev" } },
];

describe("resolveTopology", () => {
  // [what, properties, over the registry, without a registry (dry-run)]
  const cases: Array<[string, unknown, string[], string[]]> = [
    ["names", { clusters: ["prod-2", "dev-1"] }, ["prod-2", "dev-1"], ["prod-2", "dev-1"]],
    [
      "names win over a selector",
      { clusters: ["dev-1"], clusterLabelSelector: { env: "prod" } },
      ["dev-1"],
      ["dev-1"],
    ],
    [
      "clusters: [] targets nothing, its selector is ignored (KubeVela)",
      { clusters: [], clusterLabelSelector: { env: "prod" } },
      [],
      [],
    ],
    ["clusters: [] alone targets nothing", { clusters: [] }, [], []],
    [
      "non-string names are dropped",
      { clusters: [7, "prod-1", null, { a: 1 }] },
      ["prod-1"],
      ["prod-1"],
    ],
    ["clusters that is not a list is absent", { clusters: "prod-1" }, ["local"], ["local"]],
    [
      "clusterLabelSelector",
      { clusterLabelSelector: { env: "prod" } },
      ["prod-1", "prod-2"],
      ["selector(env=prod)"],
    ],
    [
      "clusterLabelSelector wins over clusterSelector",
      { clusterLabelSelector: { env: "dev" }, clusterSelector: { env: "prod" } },
      ["dev-1"],
      ["selector(env=dev)"],
    ],
    [
      "a null clusterLabelSelector is absent",
      { clusterLabelSelector: null, clusterSelector: { region: "us" } },
      ["prod-2"],
      ["selector(region=us)"],
    ],
    [
      "clusterSelector with matchExpressions",
      {
        clusterSelector: {
          matchExpressions: [{ key: "env", operator: "NotIn", values: ["prod"] }],
        },
      },
      ["local", "dev-1"],
      ["selector(+expressions)"],
    ],
    [
      "an empty selector matches every cluster",
      { clusterLabelSelector: {} },
      registry.map((c) => c.name),
      ["selector(*)"],
    ],
    ["a selector that is text is invalid", { clusterLabelSelector: "env=prod" }, [], []],
    [
      "an unknown operator is invalid",
      { clusterSelector: { matchExpressions: [{ key: "env", operator: "Near", values: ["x"] }] } },
      [],
      [],
    ],
    [
      "In without values is invalid",
      { clusterSelector: { matchExpressions: [{ key: "env", operator: "In" }] } },
      [],
      [],
    ],
    ["neither targets the hub", { namespace: "prod" }, ["local"], ["local"]],
    ["no properties target the hub", undefined, ["local"], ["local"]],
  ];

  it.each(cases)("%s", (_what, properties, online, offline) => {
    expect(resolveTopology(properties, registry).clusters).toEqual(online);
    expect(resolveTopology(properties).clusters).toEqual(offline);
  });

  it("says how it chose, and keeps a malformed selector as written", () => {
    expect(resolveTopology({ clusters: [] }, registry).via).toBe("name");
    expect(resolveTopology({ clusterSelector: {} }, registry).via).toBe("selector");
    expect(resolveTopology({}, registry).via).toBe("local");
    expect(topologyChoice({ clusterLabelSelector: "env=prod" })).toEqual({
      via: "selector",
      selector: "invalid",
      written: "env=prod",
    });
  });
});

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

describe("applications targeting a cluster", () => {
  it("reads only topology policies; explicit clusters win over selectors (KubeVela's order)", () => {
    expect(
      applicationsTargeting([app("a", { clusters: ["x"], clusterLabelSelector: {} })], member),
    ).toEqual([]);
    expect(
      applicationsTargeting([app("b", { clusters: [], clusterLabelSelector: {} })], member),
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

  it("names an unnamed topology policy by its index", () => {
    const unnamed = {
      spec: { policies: [{ type: "topology", properties: { clusters: ["member-1"] } }] },
    };
    expect(applicationsTargeting([unnamed], member).map((u) => u.policy)).toEqual(["policies[0]"]);
  });
});
