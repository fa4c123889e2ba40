/**
 * The HTTP part of `WorkflowActions` (`op.#HTTPDo`, `#HTTPGet`, `#HTTPPost`, …) over the
 * platform's `fetch`, so the hub only supplies the Kubernetes parts. Any status code is a
 * response the template can inspect (KubeVela's `request` step fails on a status above 400 in
 * CUE, not here); only a request that gets no response throws, as UpstreamUnavailableError.
 */
import { UpstreamUnavailableError } from "../../../core/errors.js";
import type { ActionContext, HttpRequest, HttpResponse, WorkflowActions } from "./actions.js";

export interface HttpActionsOptions {
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Timeout when the template sets no `request.timeout` (default 30 s). */
  readonly defaultTimeoutMs?: number;
}

const bodiless = new Set(["GET", "HEAD"]);

/** `{ http }` for `WorkflowActions`. */
export function httpActions(options: HttpActionsOptions = {}): Pick<WorkflowActions, "http"> {
  const doFetch = options.fetch ?? fetch;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  return {
    async http(request: HttpRequest, ctx: ActionContext): Promise<HttpResponse> {
      const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = ctx.signal === undefined ? timeout : AbortSignal.any([timeout, ctx.signal]);
      const method = request.method.toUpperCase();
      try {
        const response = await doFetch(request.url, {
          method,
          headers: request.header,
          body: bodiless.has(method) ? undefined : request.body,
          signal,
        });
        const body = method === "HEAD" ? "" : await response.text();
        return { statusCode: response.status, body, header: headersOf(response.headers) };
      } catch (error) {
        throw new UpstreamUnavailableError(
          `${method} ${request.url}: ${timeout.aborted ? `no response within ${timeoutMs} ms` : reasonOf(error)}`,
          { cause: error },
        );
      }
    },
  };
}

function headersOf(headers: Headers): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  headers.forEach((value, name) => {
    result[name] = name === "set-cookie" ? headers.getSetCookie() : [value];
  });
  return result;
}

/** The most specific reason fetch gives (`fetch failed` hides the socket error in `cause`). */
function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === "string") return `${cause.code}${messageSuffix(cause.message)}`;
  return error instanceof Error ? error.message : String(error);
}

const messageSuffix = (message: unknown): string =>
  typeof message === "string" && message !== "" ? ` (${message})` : "";
