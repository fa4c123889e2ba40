/**
 * A listen address in controller-runtime's `--metrics-bind-address` /
 * `--health-probe-bind-address` forms (pure):
 *
 * - `0` turns the server off;
 * - `:8080` listens on every interface (IPv6 and IPv4 where the host has both);
 * - `host:port` with an IPv4 address, a bracketed IPv6 address (`[::1]:8080`) or a host name;
 * - port `0` picks a free port (the program logs the one it got).
 *
 * Anything else (no port, a port above 65535, an unbracketed IPv6 address, spaces) is a
 * problem that names the value and says what is expected.
 */
import { isIPv4, isIPv6 } from "node:net";

/** Where to listen; `host` "" means every interface. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** A listen address, or `"off"` for `0`. */
export type BindAddress = ListenAddress | "off";

export type BindAddressParse =
  | { readonly ok: true; readonly value: BindAddress }
  | { readonly ok: false; readonly problem: string };

const expected = 'expected "0" (off), ":port", "host:port" or "[ipv6]:port"';

const hostName =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

function hostProblem(host: string): string | undefined {
  if (host === "") return undefined;
  if (host.startsWith("[") && host.endsWith("]"))
    return isIPv6(host.slice(1, -1)) ? undefined : `"${host}" is not an IPv6 address`;
  if (isIPv6(host)) return `IPv6 address "${host}" must be in brackets, as [${host}]:port`;
  if (isIPv4(host) || hostName.test(host)) return undefined;
  return `"${host}" is not an IP address or host name`;
}

/** Parses a bind address (pure); the problem says what is wrong, for the caller to prefix. */
export function parseBindAddress(text: string): BindAddressParse {
  if (text === "0") return { ok: true, value: "off" };
  const colon = text.lastIndexOf(":");
  if (colon < 0) return { ok: false, problem: `no port; ${expected}` };
  const [host, port] = [text.slice(0, colon), text.slice(colon + 1)];
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535)
    return { ok: false, problem: `port "${port}" is not 0-65535; ${expected}` };
  const problem = hostProblem(host);
  if (problem !== undefined) return { ok: false, problem: `${problem}; ${expected}` };
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  return { ok: true, value: { host: bare, port: Number(port) } };
}

/** Both addresses on the same host and port (then one server answers for both) (pure). */
export const sameAddress = (a: BindAddress, b: BindAddress): boolean =>
  a !== "off" && b !== "off" && a.host === b.host && a.port === b.port;

/** `host:port` for logs and URLs (IPv6 in brackets, every interface as "") (pure). */
export function formatAddress(address: ListenAddress): string {
  return `${isIPv6(address.host) ? `[${address.host}]` : address.host}:${address.port}`;
}
