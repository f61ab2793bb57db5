/**
 * A value sent for one of our fields that the tenant's system cannot store exactly as meant
 * (a fraction its decimal column has no places for, more digits than it holds, a value its value
 * map has no source value for): refused before anything is written. `problem` is meant for clients.
 */
export class UnstorableValueError extends Error {
  constructor(
    readonly problem: string,
    readonly field?: string,
  ) {
    super(field === undefined ? problem : `${field} ${problem}`);
    this.name = 'UnstorableValueError';
  }

  naming(field: string): UnstorableValueError {
    return new UnstorableValueError(this.problem, field);
  }
}

/**
 * A value the tenant's system holds that one of our fields cannot express exactly (a price with
 * fractions of a cent): answered as an error rather than rounded. `problem` is meant for clients.
 */
export class InexactSourceValueError extends Error {
  constructor(
    readonly problem: string,
    readonly field?: string,
  ) {
    super(field === undefined ? problem : `${field} ${problem}`);
    this.name = 'InexactSourceValueError';
  }

  naming(field: string): InexactSourceValueError {
    return new InexactSourceValueError(this.problem, field);
  }
}
