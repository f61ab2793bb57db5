/**
 * Invoice arithmetic without binary floats. Quantities (up to 3 decimals) and tax rates (percent,
 * up to 2 decimals) arrive as decimal strings and become integers of thousandths and hundredths;
 * amounts are integers of minor units; everything is computed with BigInt.
 *
 * Rounding rule: each line's net amount (quantity × unit price) and its tax (net × rate) are
 * rounded half up to the minor unit; the invoice's subtotal, tax and total are the exact sums of
 * the rounded lines. So the lines a customer reads always add up to the total.
 */
export interface LineInput {
  quantity: string;
  unitPriceMinor: number;
  taxRate: string;
}

export interface LineAmounts {
  netMinor: number;
  taxMinor: number;
}

export interface Totals {
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

const QUANTITY = /^(\d{1,9})(?:\.(\d{1,3}))?$/;
const RATE = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** "1.5" → 1500n (thousandths); null when it is not a decimal with at most 3 places. */
export function parseQuantity(text: string): bigint | null {
  const match = QUANTITY.exec(text);
  return match ? BigInt(match[1]) * 1000n + BigInt((match[2] ?? '').padEnd(3, '0')) : null;
}

/** "7.5" → 750n (hundredths of a percent); null unless a decimal with at most 2 places, 0–100. */
export function parseTaxRate(text: string): bigint | null {
  const match = RATE.exec(text);
  const value = match ? BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0')) : null;
  return value !== null && value <= 10_000n ? value : null;
}

/** Half up for non-negative numerators. */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

export function lineAmounts(line: LineInput): LineAmounts {
  const quantity = parseQuantity(line.quantity);
  const rate = parseTaxRate(line.taxRate);
  if (quantity === null || rate === null) throw new Error('Line quantity and tax rate must be validated first');
  const net = divideRounded(quantity * BigInt(line.unitPriceMinor), 1000n);
  const tax = divideRounded(net * rate, 10_000n);
  return { netMinor: toSafeNumber(net), taxMinor: toSafeNumber(tax) };
}

export function totals(lines: LineAmounts[]): Totals {
  const subtotal = lines.reduce((sum, line) => sum + BigInt(line.netMinor), 0n);
  const tax = lines.reduce((sum, line) => sum + BigInt(line.taxMinor), 0n);
  return { subtotalMinor: toSafeNumber(subtotal), taxMinor: toSafeNumber(tax), totalMinor: toSafeNumber(subtotal + tax) };
}

export class AmountTooLargeError extends Error {}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new AmountTooLargeError('The amount exceeds what can be stored exactly');
  return Number(value);
}

/** "1.500" (as PostgreSQL returns numeric) → "1.5"; "19.00" → "19". */
export function normalizeDecimal(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
