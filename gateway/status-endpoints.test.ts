import { afterEach, describe, expect, it } from "vitest";
import type { StatusEndpoints } from "../core/controller/status-server.js";
import { silentLogger } from "./deps.js";
import { createGatewayMetrics } from "./metrics.js";
import { serveGatewayStatus } from "./status-endpoints.js";

let endpoints: StatusEndpoints | undefined;
afterEach(async () => {
  await endpoints?.close();
  endpoints = undefined;
});

const status = async (url: string | undefined) => (await fetch(url ?? "unset")).status;

describe("the gateway's plain-HTTP endpoints", () => {
  it("answer /readyz 503 until the registry has synced, /metrics on the metrics address", async () => {
    let ready = false;
    endpoints = await serveGatewayStatus({
      metricsBindAddress: { host: "127.0.0.1", port: 0 },
      healthProbeBindAddress: { host: "localhost", port: 0 }, // not the same: two servers
      metrics: createGatewayMetrics(),
      ready: () => ready,
      log: silentLogger,
    });
    const { metricsUrl, probesUrl } = endpoints;
    expect(probesUrl).not.toBe(metricsUrl);
    expect(await status(`${probesUrl}/readyz`)).toBe(503);
    ready = true;
    expect(await status(`${probesUrl}/readyz`)).toBe(200);
    expect(await status(`${probesUrl}/healthz`)).toBe(200);
    expect(await status(`${probesUrl}/livez`)).toBe(200);
    expect(await status(`${probesUrl}/metrics`)).toBe(404);
    expect(await (await fetch(`${metricsUrl}/metrics`)).text()).toMatch(/^# HELP /m);
  });

  it("serve nothing by default (both off)", async () => {
    endpoints = await serveGatewayStatus({
      metricsBindAddress: "off",
      healthProbeBindAddress: "off",
      metrics: createGatewayMetrics(),
      ready: () => true,
      log: silentLogger,
    });
    expect([endpoints.metricsUrl, endpoints.probesUrl]).toEqual([undefined, undefined]);
  });
});
