import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../core/errors.js";
import { defaults, loadConfig, parseDuration } from "./config.js";

const tls = ["--tls-cert-file", "c.crt", "--tls-key-file", "c.key"];

describe("loadConfig", () => {
  it("applies defaults", () => {
    expect(loadConfig({}, tls)).toEqual({
      host: "127.0.0.1",
      port: 9443,
      tlsCertFile: "c.crt",
      tlsKeyFile: "c.key",
      audience: "flotilla-gateway",
      impersonate: false,
      probeIntervalMs: 30_000,
      authorizationCacheTtlMs: 10_000,
      metricsBindAddress: "off",
      healthProbeBindAddress: "off",
      logLevel: "info",
      gracefulShutdownTimeoutMs: 10_000,
    });
    expect(loadConfig({}, tls)).toMatchObject(defaults);
  });

  it("takes the environment, and flags over it", () => {
    const env = {
      KUBECONFIG: "/env/hub.kubeconfig",
      FLOTILLA_GATEWAY_PORT: "7443",
      FLOTILLA_GATEWAY_IMPERSONATE: "true",
      FLOTILLA_GATEWAY_TLS_CERT_FILE: "env.crt",
      FLOTILLA_GATEWAY_TLS_KEY_FILE: "env.key",
      FLOTILLA_GATEWAY_ISSUER: "https://issuer",
    };
    const config = loadConfig(env, [
      "--port",
      "0",
      "--kubeconfig",
      "hub.kubeconfig",
      "--probe-interval",
      "500ms",
    ]);
    expect(config).toMatchObject({
      kubeconfig: "hub.kubeconfig",
      port: 0,
      impersonate: true,
      tlsCertFile: "env.crt",
      issuer: "https://issuer",
      probeIntervalMs: 500,
    });
    expect(loadConfig({}, [...tls, "--impersonate"]).impersonate).toBe(true);
  });

  it("adds plain-HTTP metrics and probe addresses, and has no --metrics-port", () => {
    const env = { FLOTILLA_GATEWAY_METRICS_BIND_ADDRESS: ":8080" };
    const config = loadConfig(env, [...tls, "--health-probe-bind-address", "[::]:8081"]);
    expect(config).toMatchObject({
      metricsBindAddress: { host: "", port: 8080 },
      healthProbeBindAddress: { host: "::", port: 8081 },
    });
    expect(() => loadConfig({}, [...tls, "--metrics-port", "1"])).toThrow(/--metrics-port/);
  });

  it("reports every problem at once", () => {
    let error: unknown;
    try {
      loadConfig({ FLOTILLA_GATEWAY_IMPERSONATE: "maybe" }, [
        "--port",
        "99999",
        "--probe-interval",
        "soon",
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const message = (error as Error).message;
    for (const part of [
      '--port (or FLOTILLA_GATEWAY_PORT): invalid port "99999"',
      "--tls-cert-file (or FLOTILLA_GATEWAY_TLS_CERT_FILE) is required",
      "--tls-key-file (or FLOTILLA_GATEWAY_TLS_KEY_FILE) is required",
      'invalid boolean "maybe"',
      'invalid duration "soon"',
    ]) {
      expect(message).toContain(part);
    }
  });

  it("rejects unknown flags", () => {
    expect(() => loadConfig({}, [...tls, "--bogus"])).toThrow(/Unknown option '--bogus'/);
  });
});

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["30s", 30_000],
    ["1.5m", 90_000],
    ["2h", 7_200_000],
    ["30", undefined],
    ["-1s", undefined],
  ])("%s → %s", (text, ms) => expect(parseDuration(text)).toBe(ms));
});
