/**
 * Flotilla's closed set of error kinds (house style §6). Each has a stable `code` and maps to
 * one HTTP status in one place; callers decide by class or code, never by message text.
 */

export type ErrorCode =
  | "InvalidInput"
  | "Unauthenticated"
  | "Forbidden"
  | "NotFound"
  | "Conflict"
  | "UpstreamUnavailable"
  | "Internal";

export const httpStatusOf: Record<ErrorCode, number> = {
  InvalidInput: 400,
  Unauthenticated: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  UpstreamUnavailable: 503,
  Internal: 500,
};

/** Base class: a message for people, a code for programs, an optional cause. */
export class FlotillaError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "FlotillaError";
  }
}

/** Bad input from a user: a manifest, a definition, a flag. */
export class InvalidInputError extends FlotillaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("InvalidInput", message, options);
    this.name = "InvalidInputError";
  }
}

/** The caller could not be identified (no credential, or one that does not verify). */
export class UnauthenticatedError extends FlotillaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("Unauthenticated", message, options);
    this.name = "UnauthenticatedError";
  }
}

/** The caller is known but not allowed to do this. */
export class ForbiddenError extends FlotillaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("Forbidden", message, options);
    this.name = "ForbiddenError";
  }
}

/** The named thing does not exist. */
export class NotFoundError extends FlotillaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("NotFound", message, options);
    this.name = "NotFoundError";
  }
}

/** A system we depend on (a member cluster, the hub) cannot be reached or failed. */
export class UpstreamUnavailableError extends FlotillaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("UpstreamUnavailable", message, options);
    this.name = "UpstreamUnavailableError";
  }
}

/** The change collides with existing state (a name already taken, a resource in use). */
export class ConflictError extends FlotillaError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("Conflict", message, options);
    this.name = "ConflictError";
  }
}

/**
 * A reconcile failure that retrying cannot fix (an invalid spec, a missing definition): the
 * controller records it and stops retrying the key until it is added again (controller-runtime's
 * `reconcile.TerminalError`). The code is the cause's when that is a Flotilla error, else
 * `InvalidInput`.
 */
export class TerminalError extends FlotillaError {
  constructor(message: string, options?: { cause?: unknown }) {
    const code = options?.cause instanceof FlotillaError ? options.cause.code : "InvalidInput";
    super(code, message, options);
    this.name = "TerminalError";
  }
}
