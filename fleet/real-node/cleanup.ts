/**
 * Removing everything a real node made, whether it stopped cleanly or its run was killed:
 * every process in its network namespace or its cgroups (kubelet, containerd, shims, pod
 * containers), its mounts (container root filesystems, pod volumes, pod network namespaces),
 * its cgroups, its namespace and veth pair, its runtime directory and its slot record; and,
 * when it was the last real node on the machine, the kernel settings the kubelet changed.
 * Synchronous, so it also runs from exit and signal handlers.
 */
import { readdirSync, readFileSync, readlinkSync, rmSync, rmdirSync, statSync } from "node:fs";
import path from "node:path";
import { deleteNetwork } from "./network.js";
import { readRecords, removeRecord, type NodeRecord } from "./records.js";
import { restoreSysctls } from "./sysctls.js";
import { tryRunSync } from "./exec.js";
import { runRoot, type RealNodePlan } from "./plan.js";

export interface CleanupReport {
  readonly node: string;
  readonly killed: number;
  readonly unmounted: number;
  readonly cgroups: number;
  /** Sysctls written back (only by the last node's cleanup). */
  readonly sysctls: readonly string[];
}

const cgroupBase = "/sys/fs/cgroup";

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Alive and not a zombie: a killed child is not reaped while cleanup blocks this process, and
 * an orphan waits for init to reap it; neither runs any more.
 */
export const isRunning = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
};

/** Pids whose network namespace is the node's. */
function netnsPids(netns: string): number[] {
  let inode: number;
  try {
    inode = statSync(`/run/netns/${netns}`).ino;
  } catch {
    return [];
  }
  return readdirSync("/proc")
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/ns/net`) === `net:[${inode}]`;
      } catch {
        return false;
      }
    });
}

/** The node's cgroup directories in every v1 hierarchy, deepest first. */
export function nodeCgroups(root: string, base: string = cgroupBase): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) walk(path.join(dir, e.name));
    found.push(dir);
  };
  let hierarchies: string[] = [];
  try {
    hierarchies = readdirSync(base);
  } catch {
    return [];
  }
  for (const h of hierarchies) walk(path.join(base, h, root));
  return found;
}

function cgroupPids(dirs: readonly string[]): number[] {
  return dirs.flatMap((dir) => {
    try {
      return readFileSync(path.join(dir, "cgroup.procs"), "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map(Number);
    } catch {
      return [];
    }
  });
}

function killAll(pids: readonly number[]): number {
  const unique = [...new Set(pids)].filter((p) => p !== process.pid);
  for (const pid of unique) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + 10_000;
  while (unique.some(isRunning) && Date.now() < deadline) sleepSync(50);
  return unique.length;
}

/** Unescapes a mountinfo path (`\040` for a space). */
const unescape = (p: string): string =>
  p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Mount points at or under any of `dirs`, deepest first (pure over mountinfo text). */
export function mountsUnder(mountinfo: string, dirs: readonly string[]): string[] {
  const points = mountinfo
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((p): p is string => p !== undefined)
    .map(unescape)
    .filter((p) => dirs.some((d) => p === d || p.startsWith(d.endsWith("/") ? d : `${d}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

function unmountUnder(plan: RealNodePlan): number {
  const points = mountsUnder(readFileSync("/proc/self/mountinfo", "utf8"), [plan.dir, plan.runDir]);
  for (const point of points)
    if (!tryRunSync("umount", [point])) tryRunSync("umount", ["-l", point]);
  return points.length;
}

/** Removes everything the node made; see the module comment. Never throws for what is gone. */
export function cleanupNode(record: NodeRecord, root: string = runRoot): CleanupReport {
  const { plan } = record;
  const killed = killAll([...record.pids, ...netnsPids(plan.netns)]);
  const cgroups = nodeCgroups(plan.cgroupRoot);
  const killedInCgroups = killAll(cgroupPids(cgroups));
  const unmounted = unmountUnder(plan);
  for (const dir of nodeCgroups(plan.cgroupRoot)) {
    try {
      rmdirSync(dir);
    } catch {
      // busy or gone; reported by the teardown check
    }
  }
  deleteNetwork(plan);
  rmSync(plan.runDir, { recursive: true, force: true });
  for (const sub of ["containerd", "kubelet"])
    rmSync(path.join(plan.dir, sub), { recursive: true, force: true });
  removeRecord(plan.slot, root);
  const sysctls = readRecords(root).length === 0 ? restoreSysctls(root) : [];
  return {
    node: plan.name,
    killed: killed + killedInCgroups,
    unmounted,
    cgroups: cgroups.length,
    sysctls,
  };
}
