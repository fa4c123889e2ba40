/**
 * Errors as Kubernetes `Status` objects, in one place (house style §6): kubectl and client-go
 * print the message and act on `reason`/`code`. Decided by error class and code only. Errors
 * that are not `FlotillaError`s are internal: their text is logged, never sent.
 */
import type { Duplex } from "node:stream";
import type { ErrorRequestHandler } from "express";
import { FlotillaError, httpStatusOf, type ErrorCode } from "../core/errors.js";

export interface KubeStatus {
  readonly kind: "Status";
  readonly apiVersion: "v1";
  readonly metadata: Record<string, never>;
  readonly status: "Failure";
  readonly message: string;
  readonly reason: string;
  readonly code: number;
}

/** Kubernetes `StatusReason` for each error code. */
export const statusReasonOf: Record<ErrorCode, string> = {
  InvalidInput: "BadRequest",
  Unauthenticated: "Unauthorized",
  Forbidden: "Forbidden",
  NotFound: "NotFound",
  Conflict: "Conflict",
  UpstreamUnavailable: "ServiceUnavailable",
  Internal: "InternalError",
};

/** The Status answering `error` (pure). */
export function statusOf(error: unknown): KubeStatus {
  const known = error instanceof FlotillaError;
  const code: ErrorCode = known ? error.code : "Internal";
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: known ? error.message : "internal error",
    reason: statusReasonOf[code],
    code: httpStatusOf[code],
  };
}

export type ErrorLog = (error: unknown, context: string) => void;

/** The gateway's one error middleware: a Status body, or a cut connection mid-stream. */
export function statusErrorHandler(logError: ErrorLog): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = statusOf(error);
    if (status.code >= 500) logError(error, `${req.method} ${req.originalUrl}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status.code).json(status);
  };
}

/** Answers a failed upgrade on the raw socket with the same Status body, then closes it. */
export function writeStatusToSocket(socket: Duplex, error: unknown): void {
  const status = statusOf(error);
  const body = JSON.stringify(status);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(
    [
      `HTTP/1.1 ${status.code} ${status.reason}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Connection: close",
      "",
      body,
    ].join("\r\n"),
    () => socket.destroy(),
  );
}
