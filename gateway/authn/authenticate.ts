/**
 * Authentication for every request and upgrade, whichever way it came in: first the front
 * proxy (a verified front-proxy client certificate plus `X-Remote-*` headers), then a bearer
 * token. Anything else is `UnauthenticatedError` (401).
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { X509Certificate } from "node:crypto";
import { UnauthenticatedError } from "../../core/errors.js";
import type { Clock } from "../deps.js";
import type { Identity } from "../identity.js";
import {
  identityFromHeaders,
  parseCertificates,
  verifyFrontProxyPeer,
  type RequestHeaderConfig,
} from "./request-header.js";
import type { TokenVerifier } from "./token.js";

export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<Identity>;
}

export interface AuthenticatorOptions {
  /** The hub's request-header settings; undefined turns the aggregated path off. */
  readonly requestHeader?: RequestHeaderConfig;
  readonly tokens: TokenVerifier;
  readonly clock: Clock;
}

/** The token of an `Authorization: Bearer <token>` header (pure). */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1];
}

function peerCertificate(req: IncomingMessage): X509Certificate | undefined {
  const socket = req.socket as Partial<TLSSocket>;
  return socket.getPeerX509Certificate?.();
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const config = options.requestHeader;
  const cas = config === undefined ? [] : parseCertificates(config.clientCaPem);
  const fromFrontProxy = (req: IncomingMessage): Identity | undefined => {
    if (config === undefined) return undefined;
    const now = new Date(options.clock.now());
    const cn = verifyFrontProxyPeer(peerCertificate(req), cas, config.allowedNames, now);
    return cn === undefined ? undefined : identityFromHeaders(config, req.headersDistinct);
  };
  return {
    async authenticate(req) {
      const proxied = fromFrontProxy(req);
      if (proxied !== undefined) return proxied;
      const token = bearerToken(req.headers.authorization);
      if (token === undefined) throw new UnauthenticatedError("Unauthorized: no credential");
      return options.tokens.verify(token);
    },
  };
}
