/**
 * Who is calling, and the headers a member receives on the caller's behalf (pure).
 *
 * Inbound credentials and identity claims (`Authorization`, `Impersonate-*`, the front proxy's
 * `X-Remote-*` and any configured request-header names) never reach a member: the member sees
 * the gateway's own credential for that cluster and, with impersonation on, the verified
 * caller as `Impersonate-User` / `Impersonate-Group` / `Impersonate-Uid` / `Impersonate-Extra-*`.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface Identity {
  readonly user: string;
  readonly uid?: string;
  readonly groups: readonly string[];
  readonly extra: Readonly<Record<string, readonly string[]>>;
  /** How the caller came in: through the hub's aggregator, or with a bearer token. */
  readonly via: "front-proxy" | "token";
}

/** Header names (exact) and prefixes that carry identity and must be dropped. */
export interface IdentityHeaderNames {
  readonly names: readonly string[];
  readonly prefixes: readonly string[];
}

/** Always stripped, whatever the hub's request-header configuration says. */
export const defaultIdentityHeaders: IdentityHeaderNames = {
  names: [
    "authorization",
    "proxy-authorization",
    "x-remote-user",
    "x-remote-group",
    "x-remote-uid",
  ],
  prefixes: ["impersonate-", "x-remote-extra-"],
};

// RFC 7230 token characters; everything else in an extra key is %-encoded (client-go's rule).
const tokenChar = /[!#$&'*+\-.^_`|~0-9A-Za-z]/;

/** Encodes an extra key for an `Impersonate-Extra-<key>` header name, as client-go does. */
export function escapeExtraKey(key: string): string {
  let out = "";
  for (const byte of Buffer.from(key, "utf8")) {
    const char = String.fromCharCode(byte);
    out +=
      byte < 0x80 && tokenChar.test(char)
        ? char
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The impersonation headers presenting `identity` to a member (pure). */
export function impersonationHeaders(identity: Identity): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = { "impersonate-user": identity.user };
  if (identity.groups.length > 0) headers["impersonate-group"] = [...identity.groups];
  if (identity.uid !== undefined && identity.uid !== "") headers["impersonate-uid"] = identity.uid;
  for (const [key, values] of Object.entries(identity.extra)) {
    if (values.length > 0) headers[`impersonate-extra-${escapeExtraKey(key)}`] = [...values];
  }
  return headers;
}

function isIdentityHeader(name: string, strip: readonly IdentityHeaderNames[]): boolean {
  const lower = name.toLowerCase();
  return strip.some(
    (s) =>
      s.names.some((n) => n.toLowerCase() === lower) ||
      s.prefixes.some((p) => lower.startsWith(p.toLowerCase())),
  );
}

export interface OutboundOptions {
  /** The member's bearer token, when its credential is a token (a client cert goes in TLS). */
  readonly bearerToken?: string;
  /** Present the caller to the member (impersonation on). */
  readonly impersonate?: Identity;
  /** Extra header names to drop: the hub's configured request-header names. */
  readonly alsoStrip?: IdentityHeaderNames;
}

/** The headers a member receives for an inbound request with `inbound` headers (pure). */
export function outboundHeaders(
  inbound: IncomingHttpHeaders,
  options: OutboundOptions = {},
): IncomingHttpHeaders {
  const strip = [defaultIdentityHeaders, ...(options.alsoStrip ? [options.alsoStrip] : [])];
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(inbound)) {
    if (value !== undefined && !isIdentityHeader(name, strip)) headers[name] = value;
  }
  if (options.bearerToken !== undefined) headers.authorization = `Bearer ${options.bearerToken}`;
  if (options.impersonate !== undefined)
    Object.assign(headers, impersonationHeaders(options.impersonate));
  return headers;
}
