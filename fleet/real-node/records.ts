/**
 * The machine-wide register of real nodes (`/run/flotilla/slot-<n>.json`): claiming a slot is
 * creating its file exclusively, so concurrent fleets on one machine never share a namespace,
 * address or cgroup. A record says what the node made and which processes must be alive for it
 * to count as running; `fleet up` and every node start clear records whose processes are gone
 * (a killed run). Synchronous on purpose: cleanup also runs from exit handlers.
 */
import {
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  closeSync,
} from "node:fs";
import path from "node:path";
import { maxSlots, runRoot, type RealNodePlan } from "./plan.js";

export interface NodeRecord {
  readonly plan: RealNodePlan;
  /** The process that owns the node while it starts or runs attached; absent once detached. */
  readonly ownerPid?: number;
  /** Processes of the node (relays, containerd, kubelet, kube-proxy) as far as started. */
  readonly pids: readonly number[];
  readonly createdAt: string;
}

/** Raised when every slot is taken. */
export class NoFreeSlotError extends Error {
  override readonly name = "NoFreeSlotError";
}

const slotFile = (slot: number, root: string): string => path.join(root, `slot-${slot}.json`);

/** Claims the lowest free slot; `build` makes the record once the slot is known. */
export function claimSlot(build: (slot: number) => NodeRecord, root: string = runRoot): NodeRecord {
  mkdirSync(root, { recursive: true });
  for (let slot = 0; slot < maxSlots; slot += 1) {
    let fd: number;
    try {
      fd = openSync(slotFile(slot, root), "wx");
    } catch {
      continue;
    }
    const record = build(slot);
    writeFileSync(fd, JSON.stringify(record, null, 2));
    closeSync(fd);
    return record;
  }
  throw new NoFreeSlotError(
    `all ${maxSlots} real-node slots on this machine are taken (see ${root}); stop other fleets or run "flotilla fleet down"`,
  );
}

export function writeRecord(record: NodeRecord, root: string = runRoot): void {
  writeFileSync(slotFile(record.plan.slot, root), JSON.stringify(record, null, 2));
}

export function removeRecord(slot: number, root: string = runRoot): void {
  rmSync(slotFile(slot, root), { force: true });
}

/** Every record on this machine (unreadable files are skipped). */
export function readRecords(root: string = runRoot): NodeRecord[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^slot-\d+\.json$/.test(n))
    .flatMap((n) => {
      try {
        return [JSON.parse(readFileSync(path.join(root, n), "utf8")) as NodeRecord];
      } catch {
        return [];
      }
    });
}

/**
 * A record is left over when its owner is gone, or when it has no owner (a detached fleet)
 * and none of its processes is alive. `alive` is injected for tests.
 */
export function isLeftover(record: NodeRecord, alive: (pid: number) => boolean): boolean {
  if (record.ownerPid !== undefined) return !alive(record.ownerPid);
  return !record.pids.some(alive);
}
