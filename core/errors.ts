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
