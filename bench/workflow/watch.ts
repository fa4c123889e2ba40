/**
 * Waiting for an Application's status: an informer on the benchmark's namespace wakes the
 * waiters on every event, so a wait resolves when the event showing the awaited status
 * arrives. A GET every 2 s backs it up (a watch that silently stalled would otherwise make
 * the wait time out); how many waits the GET settled is counted, since their time is coarser.
 */
import {
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from "@kubernetes/client-node";
import { createInformer } from "../../core/controller/informer.js";
import type { JsonObject } from "../../core/json.js";
import { NAMESPACE } from "./apps.js";
import { describeWorkflow } from "./status.js";

const GROUP = { group: "core.oam.dev", version: "v1beta1", plural: "applications" } as const;
const POLL_MS = 2_000;

export interface Seen<T> {
  readonly value: T;
  /** performance.now() when the watch event (or the GET) showing it arrived. */
  readonly at: number;
}

/** Resolves with `check`'s first defined answer for the application; `check` throwing rejects. */
export type Until = <T>(
  name: string,
  what: string,
  check: (app: JsonObject) => T | undefined,
) => Promise<Seen<T>>;

export interface AppWatch {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly until: Until;
  /** Waits settled by the backup GET rather than by a watch event. */
  settledByPoll(): number;
}

interface Waiter {
  readonly name: string;
  /** True once the waiter is settled (resolved or rejected). */
  offer(app: JsonObject, via: "watch" | "poll"): boolean;
}

interface Pending<T> {
  readonly check: (app: JsonObject) => T | undefined;
  readonly resolve: (seen: Seen<T>) => void;
  readonly reject: (error: Error) => void;
  readonly onPoll: () => void;
}

function waiterFor<T>(name: string, pending: Pending<T>): Waiter {
  let settled = false;
  return {
    name,
    offer(app, via) {
      if (settled) return true;
      let value: T | undefined;
      try {
        value = pending.check(app);
      } catch (error) {
        settled = true;
        pending.reject(error instanceof Error ? error : new Error(String(error)));
        return true;
      }
      if (value === undefined) return false;
      settled = true;
      if (via === "poll") pending.onPoll();
      pending.resolve({ value, at: performance.now() });
      return true;
    },
  };
}

export function appWatch(hubKc: KubeConfig, timeoutMs: number): AppWatch {
  const api = hubKc.makeApiClient(CustomObjectsApi);
  const waiters = new Set<Waiter>();
  const key = (name: string): string => `${NAMESPACE}/${name}`;
  let byPoll = 0;
  const informer = createInformer<KubernetesObject>({
    kubeconfig: hubKc,
    path: `/apis/core.oam.dev/v1beta1/namespaces/${NAMESPACE}/applications`,
    list: () =>
      api.listNamespacedCustomObject({ ...GROUP, namespace: NAMESPACE }) as Promise<
        KubernetesListObject<KubernetesObject>
      >,
    enqueue: (k) => {
      const app = informer.get(k) as JsonObject | undefined;
      if (app === undefined) return;
      for (const w of waiters) if (key(w.name) === k && w.offer(app, "watch")) waiters.delete(w);
    },
    watchTimeoutSeconds: 300,
  });
  const read = (name: string): Promise<JsonObject | undefined> =>
    api
      .getNamespacedCustomObject({ ...GROUP, namespace: NAMESPACE, name })
      .then((app) => app as JsonObject)
      .catch(() => undefined);

  const until: Until = (name, what, check) =>
    new Promise((resolve, reject) => {
      let last: JsonObject | undefined;
      const done = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        waiters.delete(waiter);
      };
      const waiter = waiterFor(name, {
        check: (app) => ((last = app), check(app)),
        resolve: (seen) => (done(), resolve(seen)),
        reject: (error) => (done(), reject(error)),
        onPoll: () => (byPoll += 1),
      });
      const timer = setTimeout(() => {
        done();
        const state = last === undefined ? "never seen" : describeWorkflow(last);
        reject(
          new Error(`timed out after ${timeoutMs} ms waiting for ${name}: ${what} (${state})`),
        );
      }, timeoutMs);
      const poll = setInterval(() => {
        void read(name).then((app) => app !== undefined && waiter.offer(app, "poll"));
      }, POLL_MS);
      const current = informer.get(key(name)) as JsonObject | undefined;
      if (current === undefined || !waiter.offer(current, "watch")) waiters.add(waiter);
    });

  return {
    start: () => informer.start(),
    stop: () => informer.stop(),
    until,
    settledByPoll: () => byPoll,
  };
}
