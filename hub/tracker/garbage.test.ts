import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../core/errors.js";
import type { ApplicationPolicy } from "../../engine/oam/types.js";
import type { TrackerEntry } from "./entries.js";
import { garbage, garbageOnAppDelete, gcPolicyOf, nextEntries } from "./garbage.js";

const entry = (
  component: string,
  kind: string,
  extra: Partial<TrackerEntry> = {},
): TrackerEntry => ({
  cluster: "member-1",
  apiVersion: kind === "Deployment" ? "apps/v1" : "v1",
  kind,
  namespace: "demo",
  name: component,
  component,
  generation: 1,
  ...(kind === "Deployment" ? { workloadType: "webservice" } : { trait: "gateway" }),
  ...extra,
});

const web = [entry("web", "Deployment"), entry("web", "Service")];
const api = [entry("api", "Deployment"), entry("api", "Service")];
const now = web.map((e) => ({ ...e, generation: 2 }));
const gc = (properties: Record<string, unknown>): ApplicationPolicy[] => [
  { name: "gc", type: "garbage-collect", properties },
];

describe("garbage on update", () => {
  it("deletes what was tracked and is no longer rendered", () => {
    expect(garbage([...web, ...api], now)).toEqual({ delete: api, keep: [] });
    expect(garbage(web, now)).toEqual({ delete: [], keep: [] });
  });

  it("keeps every outdated object with keepLegacyResource", () => {
    expect(garbage([...web, ...api], now, gc({ keepLegacyResource: true }))).toEqual({
      delete: [],
      keep: api,
    });
  });

  it("keeps what the first selecting rule marks never or onAppDelete", () => {
    const policies = gc({
      rules: [
        { selector: { resourceTypes: ["Service"] }, strategy: "never" },
        { selector: { componentNames: ["api"] }, strategy: "onAppDelete" },
        { selector: { componentNames: ["api"] }, strategy: "onAppUpdate" },
      ],
    });
    expect(garbage([...web, ...api], now, policies)).toEqual({ delete: [], keep: api });
    const onlyTraits = gc({ rules: [{ selector: { oamTypes: ["TRAIT"] }, strategy: "never" }] });
    expect(garbage(api, now, onlyTraits)).toEqual({ delete: [api[0]], keep: [api[1]] });
  });

  it("deletes again what an earlier collection failed to delete", () => {
    const failed = api.map((e) => ({ ...e, deleted: true }));
    expect(garbage(failed, now, gc({ keepLegacyResource: true }))).toEqual({
      delete: failed,
      keep: [],
    });
  });

  it("treats a cluster-scoped object tracked with a namespace as the same object", () => {
    const applied = { ...entry("rbac", "ClusterRole"), namespace: undefined };
    const rendered = { ...applied, namespace: "demo", generation: 2 };
    expect(garbage([applied], [rendered])).toEqual({ delete: [], keep: [] });
  });
});

describe("garbage on application deletion", () => {
  it("deletes everything but what a rule marks never", () => {
    const policies = gc({
      keepLegacyResource: true,
      rules: [
        { selector: { componentNames: ["api"] }, strategy: "never" },
        { selector: { componentNames: ["web"] }, strategy: "onAppDelete" },
      ],
    });
    expect(garbageOnAppDelete([...web, ...api], policies)).toEqual({ delete: web, keep: api });
  });
});

describe("nextEntries", () => {
  it("tracks current, kept, and undeleted garbage marked deleted", () => {
    const kept = [api[0] as TrackerEntry];
    const undeleted = [api[1] as TrackerEntry];
    expect(nextEntries(now, { delete: undeleted, keep: kept }, undeleted)).toEqual([
      ...now,
      api[0],
      { ...api[1], deleted: true },
    ]);
  });
});

describe("gcPolicyOf", () => {
  it("defaults to collecting everything", () => {
    expect(gcPolicyOf()).toEqual({ keepLegacyResource: false, rules: [] });
  });

  it.each([
    [{ keepLegacyResource: "yes" }],
    [{ rules: {} }],
    [{ rules: [{ selector: {}, strategy: "sometimes" }] }],
    [{ rules: [{ selector: { componentNames: "web" } }] }],
  ])("rejects malformed properties %j", (properties) => {
    expect(() => gcPolicyOf(gc(properties))).toThrow(InvalidInputError);
  });
});
