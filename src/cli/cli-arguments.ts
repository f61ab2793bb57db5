/** Thrown for a bad command-line value; cli.ts prints the message alone and exits 2. */
export class CliUsageError extends Error {}

export function positiveInteger(value: number | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > max) throw new CliUsageError(`${flag} must be a whole number from 1 to ${max}`);
  return value;
}
