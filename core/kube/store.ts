/**
 * What a reflector keeps: one value per object key (`namespace/name`), made by a `transform`
 * (the object itself for the gateway, a small summary for the agent; undefined: not kept).
 * Each operation returns the changes it made, so a listener hears only real changes: an
 * object whose resourceVersion is the one already kept is skipped, and so is a value the
 * `equal` option calls unchanged (a node update that leaves its summary as it was).
 */
import type { JsonObject } from "../json.js";
import { objectKey, versionOf } from "./watch-events.js";

/** A change to the store, passed on to the reflector's listener. */
export interface Change<T> {
  readonly kind: "upsert" | "remove";
  readonly key: string;
  /** The new value; for a removal, the value that was kept. */
  readonly value: T;
}

export interface StoreOptions<T> {
  /** The value kept for an object; undefined: the object is not kept (a removal if it was). */
  readonly transform: (object: JsonObject) => T | undefined;
  /** Whether two values are the same (no change is reported); default: never. */
  readonly equal?: (a: T, b: T) => boolean;
}

export class ObjectStore<T> {
  readonly #values = new Map<string, T>();
  readonly #versions = new Map<string, string | undefined>();
  readonly #options: StoreOptions<T>;

  constructor(options: StoreOptions<T>) {
    this.#options = options;
  }

  /** The kept values by key. */
  items(): ReadonlyMap<string, T> {
    return this.#values;
  }

  /** Keeps `object` (added or modified); the change, or undefined when nothing changed. */
  upsert(object: JsonObject): Change<T> | undefined {
    const key = objectKey(object);
    const version = versionOf(object);
    if (version !== undefined && this.#values.has(key) && this.#versions.get(key) === version)
      return undefined;
    const value = this.#options.transform(object);
    if (value === undefined) return this.#delete(key);
    const before = this.#values.get(key);
    this.#values.set(key, value);
    this.#versions.set(key, version);
    const same = before !== undefined && this.#options.equal?.(before, value) === true;
    return same ? undefined : { kind: "upsert", key, value };
  }

  /** Forgets `object` (deleted); the change, or undefined when it was not kept. */
  remove(object: JsonObject): Change<T> | undefined {
    return this.#delete(objectKey(object));
  }

  /** Makes the store what a list says: upserts for its objects, removals for the others. */
  replace(objects: readonly JsonObject[]): Change<T>[] {
    const listed = new Set<string>();
    const changes: Change<T>[] = [];
    for (const object of objects) {
      listed.add(objectKey(object));
      const change = this.upsert(object);
      if (change !== undefined) changes.push(change);
    }
    for (const key of [...this.#values.keys()]) {
      const change = listed.has(key) ? undefined : this.#delete(key);
      if (change !== undefined) changes.push(change);
    }
    return changes;
  }

  #delete(key: string): Change<T> | undefined {
    const value = this.#values.get(key);
    this.#versions.delete(key);
    if (value === undefined || !this.#values.delete(key)) return undefined;
    return { kind: "remove", key, value };
  }
}
