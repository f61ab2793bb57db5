import { FieldCodec, IntrospectedColumn, sourceText } from '../../../libs/byod';

/** Our amounts are integers of hundredths (cents), as everywhere in the API. */
const MINOR_DIGITS = 2;

/**
 * A customer's price column may hold major units in a DECIMAL: converted as text, never through
 * a binary float (12345 ↔ "123.45"; digits beyond the cents are rounded half up on reading).
 * Integer columns are taken to hold minor units already. REST sources get JSON numbers.
 */
export function minorUnitsCodec(column: IntrospectedColumn, options: { jsonNumbers?: boolean } = {}): FieldCodec | undefined {
  if (column.type !== 'decimal') return undefined;
  return {
    // A JSON number is written as its shortest decimal text, so 12345 → 123.45 goes out exactly.
    toSource: (value) => (typeof value === 'number' ? (options.jsonNumbers ? Number(toDecimal(value)) : toDecimal(value)) : value),
    fromSource: (value) => (value === null || value === undefined ? value : toMinorUnits(sourceText(value))),
  };
}

function toDecimal(minor: number): string {
  const digits = String(Math.abs(Math.trunc(minor))).padStart(MINOR_DIGITS + 1, '0');
  return `${minor < 0 ? '-' : ''}${digits.slice(0, -MINOR_DIGITS)}.${digits.slice(-MINOR_DIGITS)}`;
}

function toMinorUnits(decimal: string): number {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!match) return Number.NaN;
  const [, sign, whole, fraction = ''] = match;
  const padded = fraction.padEnd(MINOR_DIGITS, '0');
  let minor = BigInt(`${whole || '0'}${padded.slice(0, MINOR_DIGITS)}`);
  if (padded.length > MINOR_DIGITS && Number(padded[MINOR_DIGITS]) >= 5) minor += 1n;
  return Number(sign ? -minor : minor);
}
