/**
 * One health probe of a member: `GET /readyz` through the cluster's own target (agent, TLS
 * trust and credential), as the proxy would send it. Any HTTP answer is reported; only
 * transport failures and timeouts are "unreachable".
 */
import http from "node:http";
import https from "node:https";
import type { ClusterTarget } from "./pool.js";

export type ProbeOutcome =
  | { readonly reachable: true; readonly status: number }
  | { readonly reachable: false; readonly error: string };

export function probeReadyz(target: ClusterTarget, timeoutMs = 5_000): Promise<ProbeOutcome> {
  const url = new URL(`${target.endpoint.pathname.replace(/\/+$/, "")}/readyz`, target.endpoint);
  const client = url.protocol === "https:" ? https : http;
  const headers: http.OutgoingHttpHeaders = { accept: "text/plain" };
  if (target.bearerToken !== undefined) headers.authorization = `Bearer ${target.bearerToken}`;
  return new Promise((resolve) => {
    const req = client.request(url, { method: "GET", agent: target.agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ reachable: true, status: res.statusCode ?? 0 }));
      res.on("error", (error) => resolve({ reachable: false, error: error.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (error) => resolve({ reachable: false, error: error.message }));
    req.end();
  });
}
