import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../core/controller/logger.js";
import { serveMetrics, type HubReadiness, type MetricsServer } from "./metrics-server.js";

let server: MetricsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const answer = async (url: string) => {
  const response = await fetch(url);
  return [response.status, await response.text()];
};

describe("the hub's metrics and probe endpoints", () => {
  it("answer /readyz by readiness: starting 503, standby and ready 200", async () => {
    let state: HubReadiness = "starting";
    const address = { host: "127.0.0.1", port: 0 };
    server = await serveMetrics({
      metricsBindAddress: address,
      healthProbeBindAddress: address,
      metrics: new Registry(),
      readiness: () => state,
      log: silentLogger,
    });
    const base = server.probesUrl ?? "unset";
    expect(server.metricsUrl).toBe(base);
    expect(await answer(`${base}/readyz`)).toEqual([503, "starting"]);
    state = "standby";
    expect(await answer(`${base}/readyz`)).toEqual([200, "standby"]);
    state = "ready";
    expect(await answer(`${base}/readyz`)).toEqual([200, "ready"]);
    expect(await answer(`${base}/livez`)).toEqual([200, "ok"]);
    expect(await answer(`${base}/healthz`)).toEqual([200, "ok"]);
    expect((await answer(`${base}/metrics`))[0]).toBe(200);
  });
});
