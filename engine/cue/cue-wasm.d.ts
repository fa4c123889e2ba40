// Types for the parts of cue-wasm (which ships none) that Flotilla uses.
declare module "cue-wasm" {
  interface CueWasm {
    /** Compiles and exports a CUE program; throws a plain string on error. */
    parse(source: string): unknown;
    toJSON(source: string): string;
  }
  export function init(): Promise<CueWasm>;
}
