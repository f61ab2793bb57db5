import { HttpException } from '@nestjs/common';
import { ConfigurationError } from '../platform/config/environment';
import { CliUsageError } from './cli-arguments';

/** The exit codes of every command: what a deploy script branches on. */
export const EXIT_OK = 0;
/** The operation was tried and failed (or only partly succeeded, as a migrate run with skipped databases). */
export const EXIT_FAILURE = 1;
/** Nothing was tried: an unknown command or option, a missing or invalid argument, a bad configuration. */
export const EXIT_USAGE = 2;

/** Answers the API would give as 400, 404 or 422: the argument named something wrong or nothing at all. */
const USAGE_STATUSES = new Set([400, 404, 422]);

export function exitCodeOf(error: unknown): typeof EXIT_FAILURE | typeof EXIT_USAGE {
  if (error instanceof CliUsageError || error instanceof ConfigurationError) return EXIT_USAGE;
  if (error instanceof HttpException && USAGE_STATUSES.has(error.getStatus())) return EXIT_USAGE;
  return EXIT_FAILURE;
}
