/**
 * One mapping from an API server's unsuccessful answer to Flotilla's typed errors (pure), so
 * callers decide by class, never by message: 400 and 422 `InvalidInputError`, 401
 * `UnauthenticatedError`, 403 `ForbiddenError`, 404 `NotFoundError`, 409 `ConflictError`,
 * anything else (5xx, 410, 429, ...) `UpstreamUnavailableError`.
 *
 * A program that serves other callers with its own credential (the gateway, with its hub
 * credential) asks for `credentialErrors: "upstream"`: then 401 and 403 are
 * `UpstreamUnavailableError` too, because its callers must not read the failure of its
 * credential as a failure of theirs. The HTTP status and the `Status` reason stay readable on
 * the error's `cause` (`KubeStatus`, `kubeStatusOf`). `core/cluster/kube.ts` maps client-node's
 * errors with the same table (`errorClassOf`).
 */
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
  UpstreamUnavailableError,
  type FlotillaError,
} from "../errors.js";
import { isObject, str, type JsonObject } from "../json.js";

/** A Flotilla error class, as the mapping picks it. */
export type ErrorClass = new (message: string, options?: { cause?: unknown }) => FlotillaError;

/**
 * How the API server's 401 and 403 surface: `typed` (default) as `UnauthenticatedError` /
 * `ForbiddenError`; `upstream` as `UpstreamUnavailableError` (the credential is the program's
 * own, not its caller's).
 */
export type CredentialErrors = "typed" | "upstream";

const byStatus: Readonly<Record<number, ErrorClass>> = {
  400: InvalidInputError,
  401: UnauthenticatedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  422: InvalidInputError,
};

/** The error class for HTTP `status` (pure). */
export function errorClassOf(
  status: number,
  credentialErrors: CredentialErrors = "typed",
): ErrorClass {
  if (credentialErrors === "upstream" && (status === 401 || status === 403))
    return UpstreamUnavailableError;
  return byStatus[status] ?? UpstreamUnavailableError;
}

/** The answer behind a typed error: its HTTP status and the `Status` reason, if any. */
export class KubeStatus extends Error {
  readonly status: number;
  readonly reason?: string;
  constructor(status: number, message: string, reason?: string) {
    super(message);
    this.name = "KubeStatus";
    this.status = status;
    if (reason !== undefined) this.reason = reason;
  }
}

/** The HTTP status an error was made from (`statusError`), or undefined (no answer came). */
export function kubeStatusOf(error: unknown): number | undefined {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof KubeStatus ? cause.status : undefined;
}

/** The Kubernetes `Status` in `body` (its text, or already parsed), if it is a JSON object. */
function statusOf(body: unknown): JsonObject | undefined {
  if (typeof body !== "string") return isObject(body) ? body : undefined;
  try {
    const document: unknown = JSON.parse(body);
    return isObject(document) ? document : undefined;
  } catch {
    return undefined; // not JSON: the text itself is shown
  }
}

/** The `message` of the Kubernetes `Status` in `body` (text or parsed), if it has one. */
export function statusMessageOf(body: unknown): string | undefined {
  return str(statusOf(body)?.message);
}

/** What a body without a `Status` message shows: its start. */
const bodyStart = (body: unknown): string =>
  typeof body === "string" ? body.trim().slice(0, 200) : JSON.stringify(body);

/** The `message` of a Kubernetes `Status` (text or parsed), else the body's start. */
export function statusMessage(body: unknown): string {
  return statusMessageOf(body) ?? bodyStart(body);
}

/**
 * The typed error for HTTP `status` answering `what` (e.g. `hub GET /api/v1/...`); `body` is
 * the answer's text or a parsed `Status` (a watch's `ERROR` event).
 */
export function statusError(
  status: number,
  what: string,
  body: unknown,
  credentialErrors: CredentialErrors = "typed",
): FlotillaError {
  const document = statusOf(body); // parsed once, for the message and the reason
  const message = statusMessageOf(document) ?? bodyStart(body);
  const reason = str(document?.reason);
  const Kind = errorClassOf(status, credentialErrors);
  return new Kind(`${what}: HTTP ${status}: ${message}`, {
    cause: new KubeStatus(status, message, reason),
  });
}
