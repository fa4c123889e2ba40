import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "./logger.js";
import { serveStatus, type StatusServer } from "./status-server.js";

let server: StatusServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("serveStatus", () => {
  it("answers its routes on loopback as plain text and 404 otherwise", async () => {
    server = await serveStatus({
      port: 0,
      log: silentLogger,
      routes: {
        "/healthz": () => [503, "heartbeat failing"],
        "/metrics": () => Promise.resolve([200, "flotilla_up 1\n"]),
      },
    });
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${server?.port}${path}`);
      return [response.status, await response.text(), response.headers.get("content-type")];
    };
    expect(await get("/healthz")).toEqual([503, "heartbeat failing", "text/plain; charset=utf-8"]);
    expect(await get("/metrics")).toEqual([200, "flotilla_up 1\n", "text/plain; charset=utf-8"]);
    expect((await get("/readyz"))[0]).toBe(404);
    expect((await get("/toString"))[0]).toBe(404);
  });
});
