import {
  decimalShape,
  DecimalShape,
  FieldCodec,
  InexactSourceValueError,
  IntrospectedColumn,
  sourceText,
  UnstorableValueError,
} from '../../../libs/byod';

/** Our amounts are integers of hundredths (cents), as everywhere in the API. */
const MINOR_DIGITS = 2;

/**
 * A customer's price column may hold major units in a DECIMAL: converted as text, never through
 * a binary float (12345 ↔ "123.45"), and never rounded. A write the column cannot hold exactly —
 * cents in a DECIMAL(p,0), more whole digits than DECIMAL(p,s) has — is refused (422 naming the
 * field) before it reaches the customer's database, which would round or clip it. A stored value
 * finer than cents (only possible where no scale is declared: REST, or a mapping stored before
 * scales were checked) is answered as an error (409), not rounded. Integer columns are taken to
 * hold minor units already. REST sources get JSON numbers.
 */
export function minorUnitsCodec(column: IntrospectedColumn, options: { jsonNumbers?: boolean } = {}): FieldCodec | undefined {
  if (column.type !== 'decimal') return undefined;
  const shape = decimalShape(column);
  return {
    toSource: (value) => {
      if (typeof value !== 'number') return value;
      const decimal = toDecimal(value, shape, column.rawType);
      // A JSON number is written as its shortest decimal text, so 12345 → 123.45 goes out exactly.
      return options.jsonNumbers ? Number(decimal) : decimal;
    },
    fromSource: (value) => (value === null || value === undefined ? value : toMinorUnits(sourceText(value))),
  };
}

/** Minor units as the decimal text the column stores, with as many places as it keeps (at most ours). */
function toDecimal(minor: number, shape: DecimalShape | undefined, rawType: string): string {
  const places = Math.min(shape?.scale ?? MINOR_DIGITS, MINOR_DIGITS);
  const dropped = 10 ** (MINOR_DIGITS - places);
  if (minor % dropped !== 0)
    throw new UnstorableValueError(
      `${minor} (${plain(minor)}) cannot be stored exactly: the tenant's column is ${rawType}, which keeps ${places} decimal place${places === 1 ? '' : 's'}; send a multiple of ${dropped}`,
    );
  const digits = String(Math.abs(Math.trunc(minor))).padStart(MINOR_DIGITS + 1, '0');
  const whole = digits.slice(0, -MINOR_DIGITS);
  if (shape && whole.replace(/^0+/, '').length > shape.precision - shape.scale)
    throw new UnstorableValueError(
      `${minor} (${plain(minor)}) is too large for the tenant's column (${rawType}), which holds at most ${shape.precision - shape.scale} digits before the decimal point`,
    );
  const fraction = digits.slice(-MINOR_DIGITS, -MINOR_DIGITS + places || undefined);
  return `${minor < 0 ? '-' : ''}${whole}${places > 0 ? `.${fraction}` : ''}`;
}

/** Minor units as plain decimal text, for messages (12345 → 123.45). */
function plain(minor: number): string {
  const digits = String(Math.abs(Math.trunc(minor))).padStart(MINOR_DIGITS + 1, '0');
  return `${minor < 0 ? '-' : ''}${digits.slice(0, -MINOR_DIGITS)}.${digits.slice(-MINOR_DIGITS)}`;
}

function toMinorUnits(decimal: string): number {
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(decimal.trim());
  if (!match) return Number.NaN;
  const [, sign, whole, fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(MINOR_DIGITS)))
    throw new InexactSourceValueError(
      `is ${decimal.trim()} in the tenant's system, finer than the hundredths this field counts; it is not rounded`,
    );
  const minor = BigInt(`${whole || '0'}${fraction.padEnd(MINOR_DIGITS, '0').slice(0, MINOR_DIGITS)}`);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER))
    throw new InexactSourceValueError(`is ${decimal.trim()} in the tenant's system, too large to answer exactly in minor units`);
  return Number(sign ? -minor : minor);
}
