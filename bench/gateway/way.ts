/**
 * The gateway benchmark's settings and its three ways to member-1 (direct, through the
 * gateway, through the hub's aggregator), all with the same HTTPS client code.
 */
import https from "node:https";
import os from "node:os";
import * as s from "../../test/support/gateway-world.js";

export const MEMBER = "member-1";
export const SA_NAMESPACE = "bench";
export const SA_NAME = "client";
export const CRUD_NS = "bench-crud";
export const LIST_NS = "bench-list";
export const WATCH_NS = "bench-watch";

export const ROUNDS = Number(process.env.BENCH_GATEWAY_ROUNDS ?? 100);
export const WARMUP_ROUNDS = 10;
export const CLIENTS = 64;
export const LIST_BLOCK_MS = 5_000;
export const WATCHES = Number(process.env.BENCH_GATEWAY_WATCHES ?? 500);

export const MEMBER_CREDENTIAL =
  process.env.BENCH_GATEWAY_MEMBER_CREDENTIAL === "x509" ? "x509" : "token";
/**
 * Node options of the gateway process. Default: fix 5 of docs/benchmarks.md, as a deployment
 * should run it (a 2 MiB young generation: about -30 MiB at 500 watches, no measurable CPU
 * cost); `BENCH_GATEWAY_NODE_ARGS=""` runs without.
 */
export const NODE_ARGS = (process.env.BENCH_GATEWAY_NODE_ARGS ?? "--max-semi-space-size=2")
  .split(" ")
  .filter(Boolean);

export const targets = {
  mean_ratio: 1.1,
  p99_ratio: 1.25,
  throughput_ratio: 0.85,
  gateway_rss_mib: 150,
};

/** One way to member-1: where to send, whom to trust, which token, and the path prefix. */
export interface Way {
  readonly name: "direct" | "gateway" | "aggregated";
  readonly base: string;
  readonly caPem: string;
  readonly token: string;
  /** "" for member-1 itself, the clustergateways proxy path otherwise. */
  readonly prefix: string;
  readonly agent: https.Agent;
}

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
export const log = (line: string): void => console.error(`[gateway-bench] ${line}`);
export const loadAvg = (): number[] => os.loadavg().map((l) => round(l, 2));
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function way(name: Way["name"], base: string, caPem: string, token: string): Way {
  const prefix = name === "direct" ? "" : s.proxied(MEMBER, "");
  return { name, base, caPem, token, prefix, agent: new https.Agent({ keepAlive: true }) };
}

/** One request on `way` with an optional JSON body; throws unless the status is `expect`. */
export async function send(
  w: Way,
  method: string,
  urlPath: string,
  request: { expect: number; body?: unknown },
): Promise<s.Reply> {
  const reply = await s.call(w.base, w.caPem, `${w.prefix}${urlPath}`, {
    method,
    token: w.token,
    agent: w.agent,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  if (reply.status !== request.expect)
    throw new Error(`${w.name} ${method} ${urlPath}: HTTP ${reply.status}: ${reply.text}`);
  return reply;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

// ---- statistics ----
