import { HttpStatus } from '@nestjs/common';
import {
  DataSourceUnreachableError,
  InexactSourceValueError,
  RuleViolationError,
  SourceDataError,
  SourceRefusedValueError,
  UnmappedFieldError,
  UnstorableValueError,
  UnsupportedBySourceError,
} from '../../../libs/byod';
import { TenantConnectionLostError } from '../../../libs/tenancy/connection-errors';
import { ConnectionBudgetExhaustedError, DataSourceRegistryClosedError } from '../../../libs/tenancy/data-source-registry';
import { TenantDatabaseMissingError, TenantDataElsewhereError } from '../../../libs/tenancy/tenant-placement';
import { InvalidListQueryError, RecordNotFoundError } from '../../../libs/tenancy/records/record-errors';
import { TenantReferenceConflictError } from '../../../libs/tenancy/tenant-reference';
import { FieldErrorDto } from './error-response.dto';
import { apiFieldName } from '../tenant-modules/api-field-name';

/** What the client is told about an error: libraries' own messages are written to be shown. */
interface AnswerText {
  message: string;
  details?: FieldErrorDto[];
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** How the API answers one kind of library error. */
export interface LibErrorAnswer<E extends Error = Error> {
  type: ErrorClass<E>;
  status: HttpStatus;
  /** Only errors of `type` this accepts, when several answers share a type; every one when absent. */
  when?: (error: E) => boolean;
  /** The error's own message when absent. */
  text?: (error: E) => AnswerText;
  /** Seconds the client is asked to wait before retrying (Retry-After); none when absent. */
  retryAfterSeconds?: (error: E) => number;
}

function answer<E extends Error>(
  type: ErrorClass<E>,
  status: HttpStatus,
  how: Pick<LibErrorAnswer<E>, 'when' | 'text' | 'retryAfterSeconds'> = {},
): LibErrorAnswer {
  return { type, status, ...how } as LibErrorAnswer;
}

/**
 * Every library error the API answers with something other than a bare 500. Libraries throw their
 * own errors and know nothing of HTTP; this table is the one place they become answers.
 */
const LIB_ERROR_ANSWERS: readonly LibErrorAnswer[] = [
  // libs/tenancy/records: a tenant's records and the lists of them
  answer(RecordNotFoundError, HttpStatus.NOT_FOUND, { text: (error) => ({ message: error.message, details: error.details }) }),
  answer(InvalidListQueryError, HttpStatus.BAD_REQUEST, { text: (error) => ({ message: error.message, details: error.details }) }),
  // libs/tenancy: binding the tenant and reaching its database
  answer(TenantReferenceConflictError, HttpStatus.FORBIDDEN),
  answer(TenantDataElsewhereError, HttpStatus.CONFLICT),
  answer(TenantDatabaseMissingError, HttpStatus.SERVICE_UNAVAILABLE),
  answer(TenantConnectionLostError, HttpStatus.SERVICE_UNAVAILABLE, { retryAfterSeconds: (error) => error.retryAfterSeconds }),
  answer(ConnectionBudgetExhaustedError, HttpStatus.SERVICE_UNAVAILABLE, {
    text: () => ({ message: 'The service is at its tenant connection limit; retry shortly' }),
    retryAfterSeconds: () => 1,
  }),
  answer(DataSourceRegistryClosedError, HttpStatus.SERVICE_UNAVAILABLE, {
    text: () => ({ message: 'The service is shutting down; retry on another instance' }),
  }),
  // libs/byod: a byod tenant's own system; unreachable or paused is its database, not ours
  answer(DataSourceUnreachableError, HttpStatus.SERVICE_UNAVAILABLE),
  // before SourceDataError, which it extends: a write refused for its data, the field named, never the driver's text
  answer(SourceRefusedValueError, HttpStatus.CONFLICT, { when: (error) => error.kind === 'conflict', text: sourceRefusalText }),
  answer(SourceRefusedValueError, HttpStatus.UNPROCESSABLE_ENTITY, { text: sourceRefusalText }),
  answer(SourceDataError, HttpStatus.CONFLICT, {
    text: (error) => ({ message: `The tenant's system refused the request: ${error.message}` }),
  }),
  answer(UnsupportedBySourceError, HttpStatus.CONFLICT),
  answer(RuleViolationError, HttpStatus.BAD_REQUEST, { text: ruleViolationText }),
  answer(UnmappedFieldError, HttpStatus.CONFLICT, { text: unmappedFieldText }),
  // checked before a write: a value the tenant's system could only store changed (rounded, clipped, unmapped)
  answer(UnstorableValueError, HttpStatus.UNPROCESSABLE_ENTITY, { text: inexactValueText }),
  // found on a read: a stored value one of our fields cannot express, answered as an error rather than rounded
  answer(InexactSourceValueError, HttpStatus.CONFLICT, { text: inexactValueText }),
];

export function libErrorAnswerOf(exception: unknown): LibErrorAnswer | undefined {
  return LIB_ERROR_ANSWERS.find((candidate) => exception instanceof candidate.type && (candidate.when?.(exception) ?? true));
}

/** A write the tenant's own rules refuse: each field at fault, named as the API names it. */
function ruleViolationText(error: RuleViolationError): AnswerText {
  const details = error.violations.map(({ field, problems }) => ({ field: apiFieldName(field), problems }));
  return {
    message: `Refused by this tenant's rules: ${details.map((detail) => `${detail.field} ${detail.problems.join(', ')}`).join('; ')}`,
    details,
  };
}

/**
 * A write the tenant's system refused for its data: 409 when it conflicts with data already there
 * (a duplicate, a missing or still-referenced record), 422 when the value is one the field's column
 * cannot hold. The field is named as the API names it; the driver's text (SQL, values) stays out.
 */
function sourceRefusalText(error: SourceRefusedValueError): AnswerText {
  const field = error.field === undefined ? undefined : apiFieldName(error.field);
  const problem =
    error.kind === 'conflict'
      ? "conflicts with data in the tenant's system (a duplicate, or a missing or still-referenced record)"
      : "is not a value the tenant's system can store";
  if (field === undefined && error.unmappedColumn !== undefined) {
    return {
      message:
        `The tenant's system refused the request: its column ${JSON.stringify(error.unmappedColumn)}, which the tenant's mapping ` +
        `leaves out, ${error.kind === 'conflict' ? 'conflicts with data already there' : 'needs a value this mapping cannot send'}`,
    };
  }
  if (field === undefined) {
    const whole = error.kind === 'conflict' ? `it ${problem}` : 'it cannot store a value sent';
    return { message: `The tenant's system refused the request: ${whole}` };
  }
  return { message: `The tenant's system refused the request: ${field} ${problem}`, details: [{ field, problems: [problem] }] };
}

/** A value that cannot cross between our field and the tenant's system exactly, with the field named as the API names it. */
function inexactValueText(error: UnstorableValueError | InexactSourceValueError): AnswerText {
  if (error.field === undefined) return { message: error.problem };
  const field = apiFieldName(error.field);
  return { message: `${field} ${error.problem}`, details: [{ field, problems: [error.problem] }] };
}

function unmappedFieldText(error: UnmappedFieldError): AnswerText {
  const field = apiFieldName(error.field);
  return { message: `${field} is not mapped to this tenant's data source`, details: [{ field, problems: ['not mapped'] }] };
}
