/** cluster-gateway's CRUD rounds: create → update → delete of one ConfigMap per round. */
import { summarize, type Summary } from "../stats.js";
import { CRUD_NS, ROUNDS, WARMUP_ROUNDS, send, timed, type Way } from "./way.js";

interface ConfigMapJson {
  metadata: { name: string };
  data?: Record<string, string>;
}

/** One round: create, update, delete of one ConfigMap; the three times in ms. */
async function crudRound(w: Way, name: string): Promise<number[]> {
  const collection = `/api/v1/namespaces/${CRUD_NS}/configmaps`;
  const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { version: "1" } };
  const created = await timed(() => send(w, "POST", collection, { expect: 201, body }));
  const object = created.value.json<ConfigMapJson>();
  object.data = { version: "2" };
  const item = `${collection}/${name}`;
  const updated = await timed(() => send(w, "PUT", item, { expect: 200, body: object }));
  const deleted = await timed(() => send(w, "DELETE", item, { expect: 200 }));
  return [created.ms, updated.ms, deleted.ms];
}

export interface CrudResult {
  readonly ops: Summary;
  readonly byOp: Record<"create" | "update" | "delete", Summary>;
  /** Per round (create + update + delete), as cluster-gateway's table. */
  readonly rounds: Summary;
}

/** Warm-up rounds, then `ROUNDS` timed rounds; each round rotates which way goes first. */
export async function crudPhase(ways: readonly Way[]): Promise<Map<string, CrudResult>> {
  const samples = new Map(ways.map((w) => [w.name, [] as number[][]]));
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    const order = [...ways.slice(r % ways.length), ...ways.slice(0, r % ways.length)];
    for (const w of order) {
      const times = await crudRound(w, `cgw-${w.name}-${r}`);
      if (r >= WARMUP_ROUNDS) samples.get(w.name)?.push(times);
    }
  }
  const result = new Map<string, CrudResult>();
  for (const [name, rounds] of samples) {
    const column = (i: number): number[] => rounds.map((t) => t[i] ?? 0);
    result.set(name, {
      ops: summarize(rounds.flat()),
      byOp: {
        create: summarize(column(0)),
        update: summarize(column(1)),
        delete: summarize(column(2)),
      },
      rounds: summarize(rounds.map((t) => t.reduce((a, b) => a + b, 0))),
    });
  }
  return result;
}

// ---- throughput: 64 concurrent clients listing ConfigMaps ----
