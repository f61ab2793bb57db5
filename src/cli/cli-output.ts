import { HttpException } from '@nestjs/common';
import { CliUsageError } from './cli-arguments';
import { EXIT_USAGE } from './cli-exit-codes';

type FieldProblems = Array<{ field: string; problems: string[] }>;

/**
 * Where a command's result goes. By default text for a person on stdout; with `--json` exactly one
 * JSON document on stdout — the result, or `{"error": {code, message, details?}}` — so a script can
 * always parse stdout and branch on the exit code. Logs and progress go to stderr either way.
 */
export class CliOutput {
  constructor(readonly json: boolean) {}

  /** Prints `document` with --json, else whatever `human` prints. */
  result(document: object, human: () => void): void {
    if (this.json) process.stdout.write(`${JSON.stringify(document)}\n`);
    else human();
  }

  /** Prints a failure: `code` "usage" for exit code 2, "failure" for 1. */
  error(error: unknown, exitCode: number): void {
    const message = error instanceof Error ? error.message : String(error);
    if (!this.json) {
      process.stderr.write(`error: ${message}${exitCode === EXIT_USAGE ? ' (see --help)' : ''}\n`);
      return;
    }
    const details = detailsOf(error);
    const code = exitCode === EXIT_USAGE ? 'usage' : 'failure';
    process.stdout.write(`${JSON.stringify({ error: { code, message, ...(details ? { details } : {}) } })}\n`);
  }
}

function detailsOf(error: unknown): FieldProblems | undefined {
  if (error instanceof CliUsageError) return error.details;
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'object' && 'details' in response) return response.details as FieldProblems;
  }
  return undefined;
}
