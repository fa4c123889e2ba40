/** Where commands write: `out` for results (stdout), `err` for progress and errors (stderr). */
export interface Output {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** Raised for a user mistake that the CLI reports as one line, without a stack trace. */
export class CliError extends Error {
  override readonly name = "CliError";
}
