import { describe, expect, it } from "vitest";
import { registerPlan, serviceOf } from "./flags.js";
import { describeService } from "./register.js";

const base = { port: "9443", caFile: "ca.crt" };

describe("gateway register flags as a plan", () => {
  it("registers an ExternalName Service to localhost and waits 60 s by default", () => {
    const plan = registerPlan(base);
    expect(plan).toEqual({ input: { port: 9443 }, caFile: "ca.crt", waitMs: 60_000 });
    expect(describeService(plan.input)).toBe(
      "Service vela-system/flotilla-gateway → localhost:9443 (ExternalName)",
    );
  });

  it("selects in-cluster pods, with their own port, under another name", () => {
    const plan = registerPlan({
      ...base,
      port: "443",
      selector: "app=flotilla-gateway",
      targetPort: "9443",
      serviceName: "gw",
      namespace: "infra",
      wait: false,
    });
    expect(plan).toEqual({
      input: {
        port: 443,
        selector: { app: "flotilla-gateway" },
        targetPort: 9443,
        serviceName: "gw",
        namespace: "infra",
      },
      caFile: "ca.crt",
    });
    expect(describeService(plan.input)).toBe(
      "Service infra/gw → pods app=flotilla-gateway, port 9443 (ClusterIP, port 443)",
    );
  });

  it("reads an external name and a timeout", () => {
    const plan = registerPlan({ ...base, externalName: "gw.example.com", timeout: "1m30s" });
    expect(plan.input).toEqual({ port: 9443, externalName: "gw.example.com" });
    expect(plan.waitMs).toBe(90_000);
  });

  it("names the flag of each mistake", () => {
    const bad = (flags: Partial<Parameters<typeof registerPlan>[0]>) => () =>
      registerPlan({ ...base, ...flags });
    expect(bad({ port: "0" })).toThrow('--port "0": a port is a number from 1 to 65535');
    expect(bad({ port: "70000" })).toThrow('--port "70000"');
    expect(bad({ port: "9443x" })).toThrow('--port "9443x"');
    expect(bad({ selector: "a=b", externalName: "x" })).toThrow(
      "give --external-name or --selector, not both",
    );
    expect(bad({ targetPort: "1" })).toThrow("--target-port needs --selector");
    expect(bad({ selector: "a=b", targetPort: "x" })).toThrow('--target-port "x"');
    expect(bad({ selector: "bad key=1" })).toThrow(/^invalid labels: "bad key=1"/);
    expect(bad({ externalName: "Not_A_Host" })).toThrow('--external-name "Not_A_Host"');
    expect(bad({ serviceName: "9gw" })).toThrow('--service-name "9gw": use at most 63');
    expect(bad({ namespace: "Infra" })).toThrow('--namespace "Infra"');
    expect(bad({ timeout: "soon" })).toThrow('invalid --timeout "soon"');
  });

  it("checks the Service flags of unregister the same way", () => {
    expect(serviceOf({})).toEqual({});
    expect(serviceOf({ serviceName: "gw", namespace: "9ns" })).toEqual({
      serviceName: "gw",
      namespace: "9ns",
    });
    expect(() => serviceOf({ serviceName: "gw.x" })).toThrow('--service-name "gw.x"');
  });
});
