/**
 * bigint columns of money hold minor units; pg returns them as strings. Values are validated to
 * stay within Number.MAX_SAFE_INTEGER, so as numbers they are exact.
 */
export const minorUnits = { to: (value?: number) => value, from: (value: string | null) => (value === null ? null : Number(value)) };
