import { describe, expect, it } from "vitest";
import type { ServiceStatus } from "../../engine/oam/status.js";
import type { LiveApplication } from "./live-app.js";
import { applicationTable, componentHealth } from "./list.js";

const created = new Date(2026, 0, 2, 3, 4, 5).toISOString();

const service = (over: Partial<ServiceStatus>): ServiceStatus => ({
  name: "web",
  namespace: "default",
  cluster: "local",
  healthy: true,
  ...over,
});

function app(name: string, namespace: string, status?: object): LiveApplication {
  return {
    metadata: { name, namespace, creationTimestamp: created },
    spec: {
      components: [
        { name: "web", type: "webservice", traits: [{ type: "scaler" }, { type: "gateway" }] },
        { name: "db", type: "worker" },
        { name: "cache", type: "worker" },
      ],
    },
    ...(status === undefined ? {} : { status: status as LiveApplication["status"] }),
  };
}

describe("component health over targets", () => {
  it("is healthy only when every target is", () => {
    const two = [service({ cluster: "a" }), service({ cluster: "b", healthy: false })];
    expect(componentHealth(two, "web").healthy).toBe("unhealthy");
    expect(componentHealth([service({}), service({ cluster: "b" })], "web").healthy).toBe(
      "healthy",
    );
    expect(componentHealth(two, "db")).toEqual({ healthy: "", status: "" });
  });

  it("keeps one message when all targets agree, else says which target says what", () => {
    const same = [
      service({ message: "Ready:1/1" }),
      service({ cluster: "b", message: "Ready:1/1" }),
    ];
    expect(componentHealth(same, "web").status).toBe("Ready:1/1");
    const differ = [
      service({ cluster: "a", message: "Ready:1/1" }),
      service({ cluster: "b", replicaKey: "beijing", message: "Ready:0/1", healthy: false }),
      service({ cluster: "c" }),
    ];
    expect(componentHealth(differ, "web").status).toBe(
      "a/default: Ready:1/1; b/default/beijing: Ready:0/1",
    );
  });
});

describe("ls table", () => {
  const running = {
    status: "running",
    services: [
      service({ message: "Ready:1/1" }),
      service({ name: "db", healthy: false, message: "Ready:0/1" }),
    ],
  };

  it("prints one row per component, like vela ls", () => {
    const lines = applicationTable([app("shop", "default", running)], {
      allNamespaces: false,
    }).split("\n");
    expect(lines[0]).toMatch(
      /^APP\s+COMPONENT\s+TYPE\s+TRAITS\s+PHASE\s+HEALTHY\s+STATUS\s+CREATED-TIME$/,
    );
    // CREATED-TIME is local time with the zone's offset, which depends on the machine.
    const zone = String.raw`2026-01-02 03:04:05 [+-]\d{4}`;
    expect(lines[1]).toMatch(
      new RegExp(
        String.raw`^shop\s+web\s+webservice\s+scaler,gateway\s+running\s+healthy\s+Ready:1/1\s+${zone}$`,
      ),
    );
    expect(lines[2]).toMatch(
      new RegExp(String.raw`^├─\s+db\s+worker\s+running\s+unhealthy\s+Ready:0/1\s+${zone}$`),
    );
    expect(lines[3]).toMatch(new RegExp(String.raw`^└─\s+cache\s+worker\s+running\s+${zone}$`));
    expect(lines).toHaveLength(4);
  });

  it("adds NAMESPACE with -A and sorts by namespace and name", () => {
    const lines = applicationTable([app("b", "prod"), app("a", "prod"), app("z", "dev")], {
      allNamespaces: true,
    }).split("\n");
    expect(lines[0]).toMatch(/^NAMESPACE\s+APP\s+COMPONENT/);
    expect(
      lines.filter((l) => !/^\S+\s+[├└]/.test(l)).map((l) => l.split(/\s+/).slice(0, 2)),
    ).toEqual([
      ["NAMESPACE", "APP"],
      ["dev", "z"],
      ["prod", "a"],
      ["prod", "b"],
    ]);
  });

  it("shows an application without components or status on one row", () => {
    const bare: LiveApplication = { metadata: { name: "empty", namespace: "default" }, spec: {} };
    expect(applicationTable([bare], { allNamespaces: false }).split("\n")[1]).toBe("empty");
  });
});
