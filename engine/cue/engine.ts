/**
 * The CUE evaluator: real CUE (v0.4.3) compiled to WebAssembly by cue-wasm. The module is
 * initialised once per process (about 0.5-0.9 s) and shared; every evaluation compiles its
 * source afresh, so nothing one template defines can leak into another.
 */
import { init } from "cue-wasm";

/** A CUE compile or evaluation failure, with the field path CUE reported when it gave one. */
export class CueEvaluationError extends Error {
  /** CUE's own message, unchanged. */
  readonly detail: string;
  /** Dotted field path from CUE's message (e.g. `_t.output.spec.image`), if any. */
  readonly path?: string;
  constructor(detail: string) {
    const path = fieldPathOf(detail);
    super(detail);
    this.name = "CueEvaluationError";
    this.detail = detail;
    this.path = path;
  }
}

/** Extracts the leading field path of a CUE error message (pure). */
export function fieldPathOf(message: string): string | undefined {
  const text = message.replace(/^cue: marshal error: /, "");
  const match = /^([#\w$-]+(?:\.[#\w$"-]+|\[\d+\])*):\s/.exec(text);
  return match?.[1];
}

export interface CueEngine {
  /** Compiles and exports a whole CUE program to JSON; throws `CueEvaluationError`. */
  evaluate(source: string): unknown;
}

interface CueWasm {
  parse(source: string): unknown;
}

let shared: Promise<CueWasm> | undefined;

/** The process-wide engine (initialised on first call). */
export async function cueEngine(): Promise<CueEngine> {
  shared ??= init() as Promise<CueWasm>;
  const cue = await shared;
  return {
    evaluate(source) {
      try {
        return cue.parse(source);
      } catch (error) {
        throw new CueEvaluationError(error instanceof Error ? error.message : String(error));
      }
    },
  };
}
