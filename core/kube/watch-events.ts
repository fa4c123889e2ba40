/**
 * The pure half of list + watch: splitting a watch stream into lines (one JSON event per
 * line, lines may be cut anywhere between chunks), parsing an event, deciding what it means
 * for the cache (a change, a new resourceVersion, a re-list after 410 Gone, a failure), and
 * the changes a re-list makes to a cache. `list-watch.ts` does the I/O around these.
 */
import { UpstreamUnavailableError } from "../errors.js";
import { isObject } from "../json.js";

/** The parts of an object the cache reads. */
export interface KubeObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: Record<string, unknown>;
}

/** A change to the cache, passed on to the watcher's listener. */
export type Change<T> =
  { readonly kind: "upsert"; readonly object: T } | { readonly kind: "remove"; readonly object: T };

/** What one watch event asks for. */
export type WatchStep<T> =
  | { readonly kind: "change"; readonly change: Change<T>; readonly resourceVersion?: string }
  | { readonly kind: "bookmark"; readonly resourceVersion?: string }
  | { readonly kind: "relist" }
  | { readonly kind: "fail"; readonly error: Error };

export interface LineSplitter {
  /** The complete lines `chunk` finishes (empty lines dropped); the rest is kept. */
  push(chunk: string): string[];
  /** What is left after the stream ended (a last line without newline). */
  flush(): string[];
}

export function createLineSplitter(): LineSplitter {
  let rest = "";
  const lines = (text: string): string[] =>
    text
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "");
  return {
    push(chunk) {
      const text = rest + chunk;
      const end = text.lastIndexOf("\n");
      if (end < 0) {
        rest = text;
        return [];
      }
      rest = text.slice(end + 1);
      return lines(text.slice(0, end));
    },
    flush() {
      const last = lines(rest);
      rest = "";
      return last;
    },
  };
}

const TYPES: readonly string[] = ["ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"];

/** Parses one line; `UpstreamUnavailableError` when it is not a watch event. */
export function parseWatchEvent(line: string): WatchEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new UpstreamUnavailableError(`watch sent a line that is not JSON: ${line.slice(0, 100)}`);
  }
  if (!isObject(value) || !TYPES.includes(String(value.type)) || !isObject(value.object)) {
    throw new UpstreamUnavailableError(`watch sent something not an event: ${line.slice(0, 100)}`);
  }
  return { type: value.type as WatchEventType, object: value.object };
}

const versionOf = (object: KubeObject): string | undefined => object.metadata?.resourceVersion;

/** What `event` means: 410 Gone (resourceVersion too old) asks for a re-list. */
export function watchStep<T extends KubeObject>(event: WatchEvent): WatchStep<T> {
  const object = event.object as T;
  const resourceVersion = versionOf(object);
  const at = resourceVersion === undefined ? {} : { resourceVersion };
  switch (event.type) {
    case "ADDED":
    case "MODIFIED":
      return { kind: "change", change: { kind: "upsert", object }, ...at };
    case "DELETED":
      return { kind: "change", change: { kind: "remove", object }, ...at };
    case "BOOKMARK":
      return { kind: "bookmark", ...at };
    default:
      return errorStep(event.object);
  }
}

function errorStep<T>(status: Record<string, unknown>): WatchStep<T> {
  if (status.code === 410 || status.reason === "Expired" || status.reason === "Gone")
    return { kind: "relist" };
  const message = typeof status.message === "string" ? status.message : JSON.stringify(status);
  return { kind: "fail", error: new UpstreamUnavailableError(`watch failed: ${message}`) };
}

/** The cache key of an object: `namespace/name`, or `name`. */
export function objectKey(object: KubeObject): string {
  const name = object.metadata?.name ?? "";
  const namespace = object.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * The changes that turn `cached` into `listed`: an upsert for every new object or one with
 * another resourceVersion, a remove for every cached object the list no longer has.
 */
export function listChanges<T extends KubeObject>(
  cached: ReadonlyMap<string, T>,
  listed: readonly T[],
): Change<T>[] {
  const keys = new Set<string>();
  const changes: Change<T>[] = [];
  for (const object of listed) {
    const key = objectKey(object);
    keys.add(key);
    const before = cached.get(key);
    if (before === undefined || versionOf(before) !== versionOf(object))
      changes.push({ kind: "upsert", object });
  }
  for (const [key, object] of cached) {
    if (!keys.has(key)) changes.push({ kind: "remove", object });
  }
  return changes;
}

/** Applies `change` to `cache` (in place). */
export function applyChange<T extends KubeObject>(cache: Map<string, T>, change: Change<T>): void {
  if (change.kind === "upsert") cache.set(objectKey(change.object), change.object);
  else cache.delete(objectKey(change.object));
}
