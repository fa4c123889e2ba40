/**
 * An unsuccessful answer of the hub's API server as one of Flotilla's typed errors (pure), so
 * callers decide by class, never by message: 404 `NotFoundError`, 409 `ConflictError`, 400 and
 * 422 `InvalidInputError` (the gateway sent something the hub refuses), anything else
 * `UpstreamUnavailableError` (from the gateway's point of view the hub cannot serve it; the
 * gateway's own callers must not see its hub credential's 401 or 403 as theirs).
 */
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  UpstreamUnavailableError,
  type FlotillaError,
} from "../errors.js";
import { isObject } from "../json.js";

/** The `message` of a Kubernetes `Status` body, else the body's start. */
export function statusMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed) && typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON: show the text itself
  }
  return text.trim().slice(0, 200);
}

/** The typed error for HTTP `status` answering `what` (e.g. `hub GET /api/v1/...`). */
export function statusError(status: number, what: string, text: string): FlotillaError {
  const message = `${what}: HTTP ${status}: ${statusMessage(text)}`;
  switch (status) {
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 400:
    case 422:
      return new InvalidInputError(message);
    default:
      return new UpstreamUnavailableError(message);
  }
}
