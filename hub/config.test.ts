import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../core/errors.js";
import { loadHubConfig } from "./config.js";

describe("loadHubConfig", () => {
  it("has KubeVela-like defaults", () => {
    expect(loadHubConfig({}, ["--identity", "a"])).toEqual({
      stateKeepIntervalMs: 300_000,
      healthPollIntervalMs: 5_000,
      workers: 4,
      leaderElect: true,
      leaseNamespace: "vela-system",
      leaseName: "flotilla-hub",
      identity: "a",
      clusterGracePeriodMs: 10_000,
      clusterStartupGracePeriodMs: 30_000,
      skipUnhealthyClusters: false,
      metricsBindAddress: "off",
      healthProbeBindAddress: "off",
      logLevel: "info",
      gracefulShutdownTimeoutMs: 10_000,
    });
  });

  it("serves metrics and probes where asked, --metrics-port meaning both on loopback", () => {
    const env = { FLOTILLA_HUB_HEALTH_PROBE_BIND_ADDRESS: ":8081" };
    const argv = ["--metrics-bind-address", ":8080", "--log-level", "warn"];
    expect(loadHubConfig(env, argv)).toMatchObject({
      metricsBindAddress: { host: "", port: 8080 },
      healthProbeBindAddress: { host: "", port: 8081 },
      logLevel: "warn",
    });
    expect(loadHubConfig({}, ["--metrics-port", "9000"])).toMatchObject({
      metricsBindAddress: { host: "127.0.0.1", port: 9000 },
      healthProbeBindAddress: { host: "127.0.0.1", port: 9000 },
    });
    expect(() => loadHubConfig({}, ["--health-probe-bind-address", "8081"])).toThrow(
      /--health-probe-bind-address \(or FLOTILLA_HUB_HEALTH_PROBE_BIND_ADDRESS\): invalid bind address "8081"/,
    );
  });

  it("takes flags over the environment", () => {
    const env = { FLOTILLA_HUB_STATE_KEEP_INTERVAL: "1m", FLOTILLA_HUB_LEADER_ELECT: "false" };
    const config = loadHubConfig(env, ["--state-keep-interval", "30s", "--workers", "8"]);
    expect(config).toMatchObject({ stateKeepIntervalMs: 30_000, leaderElect: false, workers: 8 });
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      loadHubConfig({ FLOTILLA_HUB_WORKERS: "0" }, ["--state-keep-interval", "soon"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toMatch(/state-keep-interval.*\n.*workers/s);
  });
});

describe("the hub's duration flags", () => {
  it("take compound Go durations such as 1m30s (KubeVela's grammar)", () => {
    const config = loadHubConfig({ FLOTILLA_HUB_HEALTH_POLL_INTERVAL: "1s500ms" }, [
      "--identity",
      "a",
      "--state-keep-interval",
      "1m30s",
    ]);
    expect(config).toMatchObject({ stateKeepIntervalMs: 90_000, healthPollIntervalMs: 1_500 });
  });
});
