/** A field of the request and what is wrong with it, as error responses name them. */
export interface FieldProblem {
  field: string;
  problems: string[];
}

/**
 * The record asked for does not exist for the current tenant. Another tenant's record is
 * invisible (row-level security), so it lands here too, exactly like one that never existed.
 */
export class RecordNotFoundError extends Error {
  override readonly name = 'RecordNotFoundError';

  constructor(
    message: string,
    readonly details?: FieldProblem[],
  ) {
    super(message);
  }
}

/** A list request whose paging or sorting the kit cannot follow: the client's to fix. */
export class InvalidListQueryError extends Error {
  override readonly name = 'InvalidListQueryError';
  readonly details: FieldProblem[];

  constructor(field: string, problem: string) {
    super(problem);
    this.details = [{ field, problems: [problem] }];
  }
}

/** A cursor that is not one the list handed out. */
export class InvalidCursorError extends InvalidListQueryError {
  constructor() {
    super('cursor', 'cursor is invalid');
  }
}
