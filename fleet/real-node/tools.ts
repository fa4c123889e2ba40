/** Absolute paths of the system tools a real node runs as processes (found once, or a clear error). */
import { existsSync } from "node:fs";
import { RealNodeError } from "./exec.js";

const dirs = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin"];

/** Tools and the Debian package each comes from. */
export const requiredTools = {
  nsenter: "util-linux",
  socat: "socat",
  runc: "runc",
  iptables: "iptables",
  ip: "iproute2",
} as const;

export type Tool = keyof typeof requiredTools;

/** The absolute path of `tool`; throws naming the Debian package when it is missing. */
export function toolPath(tool: Tool, exists: (file: string) => boolean = existsSync): string {
  const found = dirs.map((d) => `${d}/${tool}`).find(exists);
  if (found === undefined)
    throw new RealNodeError(
      `${tool} is not installed (Debian package ${requiredTools[tool]}); real fleet nodes need it`,
    );
  return found;
}

/** Every missing tool and CNI plugin, as one message; undefined when all are present. */
export function missingTools(exists: (file: string) => boolean = existsSync): string | undefined {
  const missing = (Object.keys(requiredTools) as Tool[])
    .filter((t) => !dirs.some((d) => exists(`${d}/${t}`)))
    .map((t) => `${t} (${requiredTools[t]})`);
  if (!exists("/usr/lib/cni/bridge")) missing.push("CNI plugins (containernetworking-plugins)");
  if (missing.length === 0) return undefined;
  return `real fleet nodes need: ${missing.join(", ")}; install them with apt-get, or set realNodes: 0`;
}
