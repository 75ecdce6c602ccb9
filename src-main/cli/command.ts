/** What a CLI command sees: its arguments after the command name, and where to write. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
  /** Asks on the terminal without echo (passwords); null when there is no terminal. */
  askSecret(prompt: string): Promise<string | null>;
}

export interface CliCommand {
  /** As typed: 'migrate', 'audit verify'. */
  name: string;
  /** Russian, one line, for `zhurnal --help`. */
  summary: string;
  /** Russian usage text for `zhurnal <command> --help`. */
  usage: string;
  /**
   * Returns the exit code. Throwing an AppError prints its message and exits 1. A command
   * loads the core and its domain modules here, with `await import(…)`, not at the top of
   * its file: the bundled CLI splits them into chunks, so `zhurnal --help` and a mistyped
   * argument answer without loading the database drivers, PDF and spreadsheet code.
   */
  run(args: string[], io: CliIo): Promise<number>;
}
