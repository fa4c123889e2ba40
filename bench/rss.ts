/** Resident memory of processes, read from /proc (Linux). */
import { readFileSync } from "node:fs";

/** RSS of one process in MiB, 0 when it is gone. */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
    return kib / 1024;
  } catch {
    return 0;
  }
}

export const sumRssMiB = (pids: readonly number[]): number =>
  pids.reduce((sum, pid) => sum + rssMiB(pid), 0);
