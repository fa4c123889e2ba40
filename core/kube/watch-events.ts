/**
 * The pure half of list + watch: splitting a watch stream into lines (one JSON event per
 * line, lines may be cut anywhere between chunks), parsing an event, and deciding what it
 * means for a cache (a change, a new resourceVersion, a re-list after 410 Gone, a failure).
 * `watch-stream.ts` reads the stream, `reflector.ts` does the rest of the I/O.
 */
import { UpstreamUnavailableError } from "../errors.js";
import { isObject, nonEmpty, obj, type JsonObject } from "../json.js";
import { statusError } from "./status.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: JsonObject;
}

/** What one watch event asks for. */
export type WatchStep =
  | {
      readonly kind: "upsert" | "remove";
      readonly object: JsonObject;
      readonly resourceVersion?: string;
    }
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

const metadataOf = (object: JsonObject): JsonObject => obj(object.metadata) ?? {};

/** An object's `metadata.resourceVersion`, if it has one. */
export const versionOf = (object: JsonObject): string | undefined =>
  nonEmpty(metadataOf(object).resourceVersion);

/** The cache key of an object: `namespace/name`, or `name`. */
export function objectKey(object: JsonObject): string {
  const metadata = metadataOf(object);
  const name = nonEmpty(metadata.name) ?? "";
  const namespace = nonEmpty(metadata.namespace);
  return namespace === undefined ? name : `${namespace}/${name}`;
}

/** What `event` means: 410 Gone (resourceVersion too old) asks for a re-list. */
export function watchStep(event: WatchEvent): WatchStep {
  const object = event.object;
  const resourceVersion = versionOf(object);
  const at = resourceVersion === undefined ? {} : { resourceVersion };
  switch (event.type) {
    case "ADDED":
    case "MODIFIED":
      return { kind: "upsert", object, ...at };
    case "DELETED":
      return { kind: "remove", object, ...at };
    case "BOOKMARK":
      return { kind: "bookmark", ...at };
    default:
      return errorStep(object);
  }
}

function errorStep(status: JsonObject): WatchStep {
  if (status.code === 410 || status.reason === "Expired" || status.reason === "Gone")
    return { kind: "relist" };
  const code = typeof status.code === "number" ? status.code : 500;
  return { kind: "fail", error: statusError(code, "watch failed", status) };
}
