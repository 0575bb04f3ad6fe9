/** One `unspin <name>` subcommand. Each lives in its own file under commands/. */
export interface Command {
  name: string;
  /** One line for `unspin --help`. */
  summary: string;
  /** Full usage text for `unspin <name> --help`. */
  usage: string;
  /** Returns the process exit code. Throw UsageError / UserError for clean one-line errors. */
  run(argv: string[], io: CliIO): Promise<number>;
}

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** An error the user caused (bad path, empty input, refused URL): printed as one line, exit code 1. */
export class UserError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'UserError';
  }
}

/** Wrong flags or arguments: printed with a hint to --help, exit code 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
