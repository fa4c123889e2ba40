/** Resident memory of processes, read from /proc (Linux). */
import { readFileSync } from "node:fs";

/** A memory field of /proc/<pid>/status in MiB, 0 when the process is gone. */
function statusMiB(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = Number(new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1] ?? 0);
    return kib / 1024;
  } catch {
    return 0;
  }
}

/** RSS of one process in MiB, 0 when it is gone. */
export const rssMiB = (pid: number): number => statusMiB(pid, "VmRSS");

/** Peak RSS (VmHWM) of one process in MiB, 0 when it is gone. */
export const peakRssMiB = (pid: number): number => statusMiB(pid, "VmHWM");

export const sumRssMiB = (pids: readonly number[]): number =>
  pids.reduce((sum, pid) => sum + rssMiB(pid), 0);
