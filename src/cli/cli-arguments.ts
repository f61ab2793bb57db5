/** Thrown for a bad command-line value: exit code 2 (usage), its message on one line. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly details?: Array<{ field: string; problems: string[] }>,
  ) {
    super(message);
  }
}

export function positiveInteger(value: number | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new CliUsageError(`${flag} must be a whole number from 1 to ${max}`);
  return value;
}

/** Problems found by class-validator, as one usage error naming each field. */
export function invalidFields(problems: Array<{ field: string; problems: string[] }>): CliUsageError {
  return new CliUsageError(problems.map((problem) => `${problem.field}: ${problem.problems.join(', ')}`).join('; '), problems);
}

/**
 * Flags every command accepts, taken off argv before commander sees it: `--json` decides how
 * results and errors print before any command (or a usage error) exists.
 */
export function globalFlags(argv: string[]): { json: boolean; argv: string[] } {
  return { json: argv.includes('--json'), argv: argv.filter((arg) => arg !== '--json') };
}

/** A password or secret flag, however spelt (`--password`, `--admin-password=…`, `--secret`). */
const SECRET_FLAG = /^--([a-z-]*-)?(password|secret)(=|$)/i;

/**
 * Refuses a secret on the command line before anything runs: argv stays in shell history and is
 * visible to every user of the machine in `ps`. No command takes one: accounts choose their own
 * password through a mailed link, and credentials of databases are set through the API.
 */
export function refuseSecretArguments(argv: string[]): void {
  const flag = argv.find((arg) => SECRET_FLAG.test(arg));
  if (!flag) return;
  throw new CliUsageError(
    `${flag.split('=')[0]}: passwords and secrets are never taken from the command line (shell history and ps show them); ` +
      'admins invite and admins reset-password mail the holder a link to choose their own',
  );
}
