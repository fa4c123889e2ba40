import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "./logger.js";
import {
  serveStatus,
  serveStatusEndpoints,
  type StatusEndpoints,
  type StatusServer,
} from "./status-server.js";

let server: StatusServer | StatusEndpoints | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const get = async (base: string | undefined, path: string) => {
  const response = await fetch(`${base}${path}`);
  return [response.status, await response.text(), response.headers.get("content-type")];
};

const metricsRoutes = { "/metrics": () => Promise.resolve([200, "flotilla_up 1\n"] as const) };
const probeRoutes = { "/readyz": () => [200, "ready"] as const };

describe("serveStatus", () => {
  it("answers its routes as plain text and 404 otherwise", async () => {
    const status = await serveStatus({
      address: { host: "127.0.0.1", port: 0 },
      log: silentLogger,
      routes: {
        "/healthz": () => [503, "heartbeat failing"],
        "/metrics": () => Promise.resolve([200, "flotilla_up 1\n"]),
      },
    });
    server = status;
    expect(status.url).toBe(`http://127.0.0.1:${status.port}`);
    expect(await get(status.url, "/healthz")).toEqual([
      503,
      "heartbeat failing",
      "text/plain; charset=utf-8",
    ]);
    expect(await get(status.url, "/metrics?x=1")).toEqual([
      200,
      "flotilla_up 1\n",
      "text/plain; charset=utf-8",
    ]);
    expect((await get(status.url, "/readyz"))[0]).toBe(404);
    expect((await get(status.url, "/toString"))[0]).toBe(404);
  });

  it("listens on every interface for an empty host", async () => {
    const status = await serveStatus({
      address: { host: "", port: 0 },
      log: silentLogger,
      routes: probeRoutes,
    });
    server = status;
    expect(status.url).toMatch(/^http:\/\/(\[::\]|0\.0\.0\.0):\d+$/);
    expect((await get(`http://127.0.0.1:${status.port}`, "/readyz"))[0]).toBe(200);
  });

  it("says which address it cannot listen on", async () => {
    const first = await serveStatus({
      address: { host: "127.0.0.1", port: 0 },
      log: silentLogger,
      routes: probeRoutes,
    });
    server = first;
    await expect(
      serveStatus({
        address: { host: "127.0.0.1", port: first.port },
        log: silentLogger,
        routes: probeRoutes,
      }),
    ).rejects.toThrow(`cannot listen on 127.0.0.1:${first.port}`);
  });
});

describe("serveStatusEndpoints", () => {
  it("serves metrics and probes on one server when both addresses are the same", async () => {
    const address = { host: "127.0.0.1", port: 0 };
    const endpoints = await serveStatusEndpoints({
      metricsBindAddress: address,
      healthProbeBindAddress: address,
      metricsRoutes,
      probeRoutes,
      log: silentLogger,
    });
    server = endpoints;
    expect(endpoints.probesUrl).toBe(endpoints.metricsUrl);
    expect((await get(endpoints.metricsUrl, "/metrics"))[0]).toBe(200);
    expect((await get(endpoints.metricsUrl, "/readyz"))[0]).toBe(200);
  });

  it("keeps metrics and probes apart on two addresses", async () => {
    const endpoints = await serveStatusEndpoints({
      metricsBindAddress: { host: "127.0.0.1", port: 0 },
      healthProbeBindAddress: { host: "localhost", port: 0 },
      metricsRoutes,
      probeRoutes,
      log: silentLogger,
    });
    server = endpoints;
    expect(endpoints.probesUrl).not.toBe(endpoints.metricsUrl);
    expect((await get(endpoints.metricsUrl, "/metrics"))[0]).toBe(200);
    expect((await get(endpoints.metricsUrl, "/readyz"))[0]).toBe(404);
    expect((await get(endpoints.probesUrl, "/readyz"))[0]).toBe(200);
    expect((await get(endpoints.probesUrl, "/metrics"))[0]).toBe(404);
  });

  it("serves nothing for an address that is off", async () => {
    const endpoints = await serveStatusEndpoints({
      metricsBindAddress: "off",
      healthProbeBindAddress: { host: "127.0.0.1", port: 0 },
      metricsRoutes,
      probeRoutes,
      log: silentLogger,
    });
    server = endpoints;
    expect(endpoints.metricsUrl).toBeUndefined();
    expect((await get(endpoints.probesUrl, "/readyz"))[0]).toBe(200);
    const off = await serveStatusEndpoints({
      metricsBindAddress: "off",
      healthProbeBindAddress: "off",
      metricsRoutes,
      probeRoutes,
      log: silentLogger,
    });
    expect([off.metricsUrl, off.probesUrl]).toEqual([undefined, undefined]);
    await off.close();
  });
});
