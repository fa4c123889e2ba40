/**
 * A real node's cgroup root in every cgroup v1 hierarchy, made before the kubelet starts (it
 * refuses a `cgroupRoot` that does not exist). cpuset children start empty in v1, so the root
 * copies its parent's cpus and memory nodes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const base = "/sys/fs/cgroup";

/** The v1 hierarchies mounted here (the cgroup2 mount `unified` is left alone). */
function hierarchies(): string[] {
  return readdirSync(base).filter(
    (h) => h !== "unified" && existsSync(path.join(base, h, "cgroup.procs")),
  );
}

export function createCgroupRoots(root: string): void {
  for (const h of hierarchies()) {
    const dir = path.join(base, h, root);
    mkdirSync(dir, { recursive: true });
    if (h !== "cpuset") continue;
    for (const file of ["cpuset.cpus", "cpuset.mems"]) {
      const parent = readFileSync(path.join(base, h, file), "utf8").trim();
      writeFileSync(path.join(dir, file), parent);
    }
  }
}
