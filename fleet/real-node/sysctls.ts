/**
 * The machine-wide kernel settings the kubelet writes at start (its "kernel tunables"):
 * recorded before the first real node starts, restored when the last one stops. The snapshot
 * lives beside the slot records, so a killed run's values are restored by the next cleanup.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runRoot } from "./plan.js";

/** What kubelet 1.36 sets when `protectKernelDefaults` is false. */
export const kubeletSysctls = [
  "vm.overcommit_memory",
  "vm.panic_on_oom",
  "kernel.panic",
  "kernel.panic_on_oops",
  "kernel.keys.root_maxkeys",
  "kernel.keys.root_maxbytes",
] as const;

export type SysctlValues = Record<string, string>;

const procPath = (key: string): string => `/proc/sys/${key.replaceAll(".", "/")}`;
const snapshotFile = (root: string): string => path.join(root, "sysctls.json");

/** The current values of the kubelet's sysctls. */
export function readSysctls(read = (file: string) => readFileSync(file, "utf8")): SysctlValues {
  return Object.fromEntries(kubeletSysctls.map((k) => [k, read(procPath(k)).trim()]));
}

/** Records the current values unless a snapshot exists already (an earlier node's). */
export function snapshotSysctls(root: string = runRoot): void {
  if (existsSync(snapshotFile(root))) return;
  writeFileSync(snapshotFile(root), JSON.stringify(readSysctls(), null, 2));
}

/** Writes the snapshot back and removes it; returns the keys whose value changed back. */
export function restoreSysctls(root: string = runRoot): string[] {
  const file = snapshotFile(root);
  if (!existsSync(file)) return [];
  const saved = JSON.parse(readFileSync(file, "utf8")) as SysctlValues;
  const now = readSysctls();
  const changed = Object.keys(saved).filter((k) => saved[k] !== now[k]);
  for (const key of changed) writeFileSync(procPath(key), `${saved[key]}\n`);
  rmSync(file, { force: true });
  return changed;
}
