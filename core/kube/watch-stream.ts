/**
 * Reads an open watch response: JSON lines, each parsed into a `WatchEvent` and handed on in
 * order. The promise it returns never rejects: it resolves with undefined when the server
 * ended the watch (its `timeoutSeconds`), or with the error that ended it (a broken
 * connection, a line that is not an event, a handler that threw). The response is destroyed
 * on an error, so nothing more arrives after one.
 */
import type { IncomingMessage } from "node:http";
import { UpstreamUnavailableError } from "../errors.js";
import { createLineSplitter, parseWatchEvent, type WatchEvent } from "./watch-events.js";

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

/** Hands every event of `res` to `onEvent`; resolves when the stream is over (see above). */
export function readEvents(
  res: IncomingMessage,
  what: string,
  onEvent: (event: WatchEvent) => void,
): Promise<Error | undefined> {
  return new Promise((resolve) => {
    const lines = createLineSplitter();
    let over = false;
    const finish = (error?: Error): void => {
      if (over) return;
      over = true;
      if (error !== undefined) res.destroy();
      resolve(error);
    };
    const each = (batch: readonly string[]): void => {
      for (const line of batch) if (!over) onEvent(parseWatchEvent(line));
    };
    const guarded = (work: () => void): void => {
      try {
        work();
      } catch (error) {
        finish(asError(error));
      }
    };
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => guarded(() => each(lines.push(chunk))));
    res.on("end", () =>
      guarded(() => {
        each(lines.flush());
        finish();
      }),
    );
    res.on("error", (error) =>
      finish(new UpstreamUnavailableError(`${what}: ${error.message}`, { cause: error })),
    );
    res.on("close", () => finish(new UpstreamUnavailableError(`${what}: connection closed`)));
  });
}
