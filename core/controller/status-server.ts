/**
 * `serveStatus`: a process's small plain-text HTTP endpoint on 127.0.0.1 (`/metrics`,
 * `/healthz`, `/readyz`, as each program defines them). Each route answers a status code and
 * a body; any other path is 404. Shared by the hub and the agent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "./logger.js";

export type StatusAnswer = readonly [code: number, body: string];

export interface StatusServer {
  readonly port: number;
  close(): Promise<void>;
}

export interface StatusServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Path → answer, e.g. `"/metrics": async () => [200, await registry.metrics()]`. */
  readonly routes: Readonly<Record<string, () => StatusAnswer | Promise<StatusAnswer>>>;
  readonly log: Logger;
}

export async function serveStatus(options: StatusServerOptions): Promise<StatusServer> {
  const answer = async (url: string): Promise<StatusAnswer> => {
    const route = Object.hasOwn(options.routes, url) ? options.routes[url] : undefined;
    return route === undefined ? [404, "not found"] : route();
  };
  const server = http.createServer((req, res) => {
    void answer(req.url ?? "").then(([code, body]) => {
      res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  options.log.info("serving metrics", { url: `http://127.0.0.1:${port}/metrics` });
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
