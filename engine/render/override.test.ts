import { describe, expect, it } from "vitest";
import type { ApplicationComponent } from "../oam/types.js";
import { applyOverride, mergeProperties, namePattern, overrideSpec } from "./override.js";

const components: ApplicationComponent[] = [
  {
    name: "web",
    type: "webservice",
    properties: { image: "nginx", env: [{ name: "A", value: "1" }], resources: { cpu: "1" } },
    traits: [
      { type: "scaler", properties: { replicas: 2 } },
      { type: "labels", properties: { team: "a" } },
    ],
  },
  { name: "web-canary", type: "webservice", properties: { image: "nginx:next" } },
  { name: "db", type: "helm", properties: { chart: "redis" } },
];

describe("override policy", () => {
  it("merges properties deeply, replacing lists and scalars (0 and false included)", () => {
    expect(
      mergeProperties(
        { a: { b: 1, c: 2 }, list: [1, 2], on: true, n: 3 },
        { a: { c: 3 }, list: [9], on: false, n: 0 },
      ),
    ).toEqual({ a: { b: 1, c: 3 }, list: [9], on: false, n: 0 });
  });

  it("patches a named component's properties and traits: merge, disable, append", () => {
    const [web] = applyOverride(components, {
      components: [
        {
          name: "web",
          properties: { image: "nginx:1.20", resources: { memory: "1Gi" } },
          traits: [
            { type: "scaler", properties: { replicas: 3 } },
            { type: "labels", disable: true },
            { type: "expose", properties: { port: [80] } },
          ],
        },
      ],
    });
    expect(web?.properties).toEqual({
      image: "nginx:1.20",
      env: [{ name: "A", value: "1" }],
      resources: { cpu: "1", memory: "1Gi" },
    });
    expect(web?.traits).toEqual([
      { type: "scaler", properties: { replicas: 3 } },
      { type: "expose", properties: { port: [80] } },
    ]);
    expect(components[0]?.properties?.image).toBe("nginx"); // input untouched
  });

  it("matches by type when no name is given, and whole names with * patterns", () => {
    const byType = applyOverride(components, {
      components: [{ type: "webservice", properties: { cpu: "2" } }],
    });
    expect(byType.map((c) => c.properties?.cpu)).toEqual(["2", "2", undefined]);
    const byPattern = applyOverride(components, {
      components: [{ name: "web-*", properties: { image: "busybox" } }],
    });
    expect(byPattern.map((c) => c.properties?.image)).toEqual(["nginx", "busybox", undefined]);
    expect(namePattern("web").test("frontend-web")).toBe(false);
  });

  it("replaces a component whose type differs and adds unknown names", () => {
    const result = applyOverride(components, {
      components: [
        { name: "db", type: "webservice", properties: { image: "postgres" } },
        { name: "cache", type: "helm", properties: { chart: "memcached" } },
        { name: "nothing-*", properties: { image: "x" } },
      ],
    });
    expect(result.map((c) => `${c.name}:${c.type}`)).toEqual([
      "web:webservice",
      "web-canary:webservice",
      "db:webservice",
      "cache:helm",
    ]);
    expect(result[2]?.properties).toEqual({ image: "postgres" });
  });

  it("keeps only the selector's components", () => {
    const spec = overrideSpec({ selector: ["db", "web"], components: [] });
    expect(applyOverride(components, spec).map((c) => c.name)).toEqual(["web", "db"]);
  });
});
