/**
 * The proxy step: hands a planned request or upgrade to its cluster's http-proxy. The request
 * is rewritten in place (path for the member, outbound headers) because http-proxy reads
 * both from it. Transport failures become `UpstreamUnavailableError` (503); responses and
 * upgraded streams are piped through unbuffered.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { UpstreamUnavailableError } from "../../core/errors.js";
import { errorText } from "../deps.js";
import type { ProxyPlan } from "../pipeline.js";

/** The error for a member that could not be reached or dropped the connection (pure). */
export function unreachable(cluster: string, cause: unknown): UpstreamUnavailableError {
  return new UpstreamUnavailableError(`cluster "${cluster}" is unavailable: ${errorText(cause)}`, {
    cause,
  });
}

function rewrite(req: IncomingMessage, plan: ProxyPlan): void {
  req.url = plan.path;
  req.headers = plan.headers;
}

/** Proxies an ordinary request; `fail` receives the 503 when the member cannot be reached. */
export function forwardRequest(
  plan: ProxyPlan,
  req: IncomingMessage,
  res: ServerResponse,
  fail: (error: UpstreamUnavailableError) => void,
): void {
  rewrite(req, plan);
  plan.target.proxy.web(req, res, {}, (error) => fail(unreachable(plan.target.cluster, error)));
}

/** Proxies an upgrade (exec, attach, port-forward, websockets) on the raw `socket`. */
export function forwardUpgrade(
  plan: ProxyPlan,
  req: IncomingMessage,
  connection: { readonly socket: Duplex; readonly head: Buffer },
  fail: (error: UpstreamUnavailableError) => void,
): void {
  rewrite(req, plan);
  plan.target.proxy.ws(req, connection.socket, connection.head, {}, (error) =>
    fail(unreachable(plan.target.cluster, error)),
  );
}
