import { describe, expect, it } from "vitest";
import { readFlags } from "./flags.js";
import { readServing, servingFlags } from "./serving.js";

const withPort = servingFlags("X", { metricsPort: true });
const withoutPort = servingFlags("X", { metricsPort: false });

const serving = (argv: string[], env: NodeJS.ProcessEnv = {}, metricsPort = true) => {
  const flags = readFlags(metricsPort ? withPort : withoutPort, env, argv);
  const config = readServing(flags, { metricsPort });
  return { config, problems: flags.problems };
};

describe("the shared serving flags", () => {
  it("are off, at info, with a 10 s shutdown bound by default", () => {
    expect(serving([])).toEqual({
      config: {
        metricsBindAddress: "off",
        healthProbeBindAddress: "off",
        logLevel: "info",
        gracefulShutdownTimeoutMs: 10_000,
      },
      problems: [],
    });
  });

  it("take controller-runtime's address forms, from flags or environment", () => {
    const { config, problems } = serving(
      ["--metrics-bind-address", ":8080", "--log-level", "debug"],
      { X_HEALTH_PROBE_BIND_ADDRESS: "127.0.0.1:0", X_GRACEFUL_SHUTDOWN_TIMEOUT: "30s" },
    );
    expect(problems).toEqual([]);
    expect(config).toEqual({
      metricsBindAddress: { host: "", port: 8080 },
      healthProbeBindAddress: { host: "127.0.0.1", port: 0 },
      logLevel: "debug",
      gracefulShutdownTimeoutMs: 30_000,
    });
    expect(serving(["--metrics-bind-address", "0"]).config.metricsBindAddress).toBe("off");
  });

  it("keep --metrics-port N as both addresses on 127.0.0.1:N", () => {
    const loopback = { host: "127.0.0.1", port: 9100 };
    expect(serving(["--metrics-port", "9100"]).config).toMatchObject({
      metricsBindAddress: loopback,
      healthProbeBindAddress: loopback,
    });
    expect(serving([], { X_METRICS_PORT: "0" }).config.metricsBindAddress).toEqual({
      host: "127.0.0.1",
      port: 0,
    });
  });

  it("name the flag, its variable and the bad value", () => {
    const { problems } = serving(["--metrics-bind-address", "8080", "--log-level", "verbose"], {
      X_HEALTH_PROBE_BIND_ADDRESS: "[::1:8081",
    });
    expect(problems).toEqual([
      '--metrics-bind-address (or X_METRICS_BIND_ADDRESS): invalid bind address "8080": no port; ' +
        'expected "0" (off), ":port", "host:port" or "[ipv6]:port"',
      expect.stringMatching(
        /^--health-probe-bind-address \(or X_HEALTH_PROBE_BIND_ADDRESS\): invalid bind address "\[::1:8081"/,
      ),
      '--log-level (or X_LOG_LEVEL): invalid value "verbose": expected one of debug, info, warn, error',
    ]);
  });

  it("refuse --metrics-port together with a bind address", () => {
    const { problems } = serving(["--metrics-port", "9100"], {
      X_HEALTH_PROBE_BIND_ADDRESS: ":8081",
    });
    expect(problems).toEqual([
      "--metrics-port cannot be combined with --health-probe-bind-address: " +
        "it is the old shorthand for both on 127.0.0.1:<port>",
    ]);
  });

  it("have no --metrics-port where the program never had one", () => {
    expect(Object.keys(withoutPort)).not.toContain("metrics-port");
    expect(serving(["--metrics-port", "1"], {}, false).problems[0]).toMatch(/metrics-port/);
  });
});
