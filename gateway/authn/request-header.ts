/**
 * The aggregated path's authentication (pure): the hub's aggregator connects with its
 * front-proxy client certificate and names the caller in `X-Remote-User` / `X-Remote-Group` /
 * `X-Remote-Extra-*`. Those headers are trusted only when the TLS client certificate was issued
 * by the request-header client CA and its common name is allowed, as kube-apiserver's own
 * request-header authenticator does. Settings come from the hub's ConfigMap
 * `kube-system/extension-apiserver-authentication`.
 */
import { X509Certificate } from "node:crypto";
import type { Identity, IdentityHeaderNames } from "../identity.js";

export interface RequestHeaderConfig {
  /** PEM bundle of the CA(s) that sign front-proxy client certificates. */
  readonly clientCaPem: string;
  /** Allowed client-certificate common names; empty means any name the CA signed. */
  readonly allowedNames: readonly string[];
  readonly usernameHeaders: readonly string[];
  readonly uidHeaders: readonly string[];
  readonly groupHeaders: readonly string[];
  readonly extraHeaderPrefixes: readonly string[];
}

export const AUTH_CONFIGMAP = {
  namespace: "kube-system",
  name: "extension-apiserver-authentication",
};

function jsonList(text: string | undefined): string[] {
  if (text === undefined || text.trim() === "") return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`expected a JSON list, got ${text}`);
  return parsed.filter((v): v is string => typeof v === "string" && v.trim() !== "");
}

/**
 * Reads the request-header settings from the ConfigMap's data (pure); undefined when the hub
 * has no request-header client CA (the aggregation layer is not configured).
 */
export function requestHeaderConfigFromData(
  data: Readonly<Record<string, string>> | undefined,
): RequestHeaderConfig | undefined {
  const clientCaPem = data?.["requestheader-client-ca-file"];
  if (data === undefined || clientCaPem === undefined || clientCaPem.trim() === "")
    return undefined;
  return {
    clientCaPem,
    allowedNames: jsonList(data["requestheader-allowed-names"]),
    usernameHeaders: jsonList(data["requestheader-username-headers"]),
    uidHeaders: jsonList(data["requestheader-uid-headers"]),
    groupHeaders: jsonList(data["requestheader-group-headers"]),
    extraHeaderPrefixes: jsonList(data["requestheader-extra-headers-prefix"]),
  };
}

/** The header names this configuration reads, so they can be stripped before proxying. */
export function requestHeaderNames(config: RequestHeaderConfig): IdentityHeaderNames {
  return {
    names: [...config.usernameHeaders, ...config.uidHeaders, ...config.groupHeaders],
    prefixes: [...config.extraHeaderPrefixes],
  };
}

/** Every certificate in a PEM bundle. */
export function parseCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

const CLIENT_AUTH_OID = "1.3.6.1.5.5.7.3.2";

function commonName(cert: X509Certificate): string | undefined {
  const line = cert.subject.split("\n").find((l) => l.startsWith("CN="));
  return line?.slice(3);
}

/**
 * The common name of `peer` when it is a valid front-proxy client certificate at `now`: signed
 * by one of `cas`, within its validity, usable for client auth and (when names are configured)
 * one of the allowed names; otherwise undefined.
 */
export function verifyFrontProxyPeer(
  peer: X509Certificate | undefined,
  cas: readonly X509Certificate[],
  allowedNames: readonly string[],
  now: Date,
): string | undefined {
  if (peer === undefined) return undefined;
  const issued = cas.some((ca) => peer.checkIssued(ca) && peer.verify(ca.publicKey));
  const valid = new Date(peer.validFrom) <= now && now <= new Date(peer.validTo);
  const usage = peer.keyUsage === undefined || peer.keyUsage.includes(CLIENT_AUTH_OID);
  const cn = commonName(peer);
  if (!issued || !valid || !usage || cn === undefined) return undefined;
  return allowedNames.length === 0 || allowedNames.includes(cn) ? cn : undefined;
}

/** Headers with one entry per header line, as Node's `req.headersDistinct` gives them. */
export type DistinctHeaders = NodeJS.Dict<string[]>;

function headerValues(headers: DistinctHeaders, names: readonly string[]): string[] {
  return names.flatMap((name) => (headers[name.toLowerCase()] ?? []).filter((v) => v !== ""));
}

function extraFrom(headers: DistinctHeaders, prefixes: readonly string[]): Identity["extra"] {
  const extra: Record<string, string[]> = {};
  for (const prefix of prefixes.map((p) => p.toLowerCase())) {
    for (const name of Object.keys(headers)) {
      if (!name.startsWith(prefix) || name.length === prefix.length) continue;
      const key = unescapeKey(name.slice(prefix.length));
      (extra[key] ??= []).push(...headerValues(headers, [name]));
    }
  }
  return extra;
}

function unescapeKey(key: string): string {
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/** The caller the front proxy names in `headers` (pure); undefined when no user is named. */
export function identityFromHeaders(
  config: RequestHeaderConfig,
  headers: DistinctHeaders,
): Identity | undefined {
  const user = headerValues(headers, config.usernameHeaders)[0];
  if (user === undefined) return undefined;
  const uid = headerValues(headers, config.uidHeaders)[0];
  return {
    user,
    ...(uid === undefined ? {} : { uid }),
    groups: headerValues(headers, config.groupHeaders),
    extra: extraFrom(headers, config.extraHeaderPrefixes),
    via: "front-proxy",
  };
}
