import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../core/errors.js";
import { defaults, loadAgentConfig } from "./config.js";

describe("loadAgentConfig", () => {
  it("applies defaults", () => {
    const config = loadAgentConfig({}, ["--cluster", "edge-1", "--hub-kubeconfig", "hub.yaml"]);
    expect(config).toEqual({
      cluster: "edge-1",
      hubKubeconfig: "hub.yaml",
      heartbeatIntervalMs: 2_000,
      leaseDurationMs: 10_000,
      reportIntervalMs: 10_000,
      healthThresholdMs: 10_000,
      metricsBindAddress: "off",
      healthProbeBindAddress: "off",
      logLevel: "info",
      gracefulShutdownTimeoutMs: 10_000,
      hubTokenLifetimeMs: 3_600_000,
    });
    expect(config).toMatchObject(defaults);
  });

  it("takes flags over the environment", () => {
    const env = {
      FLOTILLA_AGENT_CLUSTER: "a",
      FLOTILLA_AGENT_HUB_KUBECONFIG: "h",
      KUBECONFIG: "m",
    };
    const config = loadAgentConfig(env, [
      "--cluster",
      "b",
      "--report-interval",
      "30s",
      "--metrics-port",
      "0",
    ]);
    expect(config).toMatchObject({
      cluster: "b",
      kubeconfig: "m",
      reportIntervalMs: 30_000,
      metricsBindAddress: { host: "127.0.0.1", port: 0 },
      healthProbeBindAddress: { host: "127.0.0.1", port: 0 },
    });
  });

  it("reports every problem at once", () => {
    let error: unknown;
    try {
      loadAgentConfig({}, [
        "--cluster",
        "Bad_Name",
        "--heartbeat-interval",
        "6s",
        "--lease-duration",
        "10500ms",
        "--health-threshold",
        "soon",
        "--metrics-bind-address",
        ":99999",
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const message = (error as Error).message;
    expect(message).toMatch(/exactly one of --hub-kubeconfig .* --hub-bootstrap-kubeconfig/);
    expect(message).toMatch(/--cluster "Bad_Name"/);
    expect(message).toMatch(/--health-threshold .*invalid duration "soon"/);
    expect(message).toMatch(/--lease-duration .* at least twice --heartbeat-interval/);
    expect(message).toMatch(/whole seconds/);
    expect(message).toMatch(/--metrics-bind-address .*invalid bind address ":99999"/);
  });

  it("takes the bootstrap kubeconfig instead of a hub kubeconfig, with a token lifetime", () => {
    const env = {
      FLOTILLA_AGENT_HUB_BOOTSTRAP_KUBECONFIG: "/etc/flotilla/hub/bootstrap-kubeconfig",
    };
    const config = loadAgentConfig(env, ["--cluster", "edge-1", "--hub-token-lifetime", "30m"]);
    expect(config).toMatchObject({
      hubBootstrapKubeconfig: "/etc/flotilla/hub/bootstrap-kubeconfig",
      hubTokenLifetimeMs: 1_800_000,
    });
    expect(config.hubKubeconfig).toBeUndefined();
  });

  it("refuses both hub credentials, and a token lifetime the TokenRequest API refuses", () => {
    const argv = [
      "--cluster",
      "edge-1",
      "--hub-kubeconfig",
      "h",
      "--hub-bootstrap-kubeconfig",
      "b",
    ];
    expect(() => loadAgentConfig({}, argv)).toThrow(/exactly one of .*, got both/);
    const short = [
      "--cluster",
      "e",
      "--hub-bootstrap-kubeconfig",
      "b",
      "--hub-token-lifetime",
      "5m",
    ];
    expect(() => loadAgentConfig({}, short)).toThrow(/--hub-token-lifetime .* at least 10m/);
    const ok = ["--cluster", "e", "--hub-bootstrap-kubeconfig", "b", "--hub-token-lifetime", "10m"];
    expect(loadAgentConfig({}, ok).hubTokenLifetimeMs).toBe(600_000);
  });
});
