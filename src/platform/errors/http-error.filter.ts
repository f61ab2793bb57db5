import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { classifyDatabaseFailure } from '../../../libs/tenancy/connection-errors';
import { ErrorResponseDto } from './error-response.dto';
import { libErrorAnswerOf } from './lib-error-answers';
import { RetryLaterException } from './retry-later.exception';
import { TooManyRequestsException } from './too-many-requests.exception';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/**
 * Renders every error as `{ statusCode, error, message, details? }`: Nest's HTTP exceptions,
 * libraries' own errors (by the table in lib-error-answers), database failures. Unexpected errors
 * are logged with their stack and answered with a bare 500: no stack, SQL or secret leaves here.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<ReplyLike>();
    const body = this.toBody(exception);
    const retryAfter = retryAfterSecondsOf(exception);
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown): ErrorResponseDto {
    if (exception instanceof HttpException) return fromHttpException(exception);
    const answer = libErrorAnswerOf(exception);
    if (answer) {
      const { message, details } = answer.text?.(exception as Error) ?? { message: (exception as Error).message };
      return errorBody(answer.status, message, details);
    }
    const failure = classifyDatabaseFailure(exception);
    if (failure === 'connection-lost')
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'The database connection was lost before the request completed; retry shortly');
    if (failure === 'lock-timeout') {
      return errorBody(
        HttpStatus.SERVICE_UNAVAILABLE,
        'The data is locked by another operation (such as an upgrade of its schema); retry shortly',
      );
    }
    const sqlState = sqlStateOf(exception);
    if (sqlState !== undefined) return fromSqlState(sqlState);
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}

/**
 * Seconds a 503 or 429 asks the client to wait. Lost connections and lock timeouts pass in about
 * a second (a restarted backend, a migration's lock); a write whose outcome is unknown says so in
 * its message, so the client checks before it repeats.
 */
function retryAfterSecondsOf(exception: unknown): number | undefined {
  if (exception instanceof TooManyRequestsException || exception instanceof RetryLaterException) return exception.retryAfterSeconds;
  if (exception instanceof HttpException) return undefined;
  const answer = libErrorAnswerOf(exception);
  if (answer) return answer.retryAfterSeconds?.(exception as Error);
  if (classifyDatabaseFailure(exception) !== 'other' || sqlStateOf(exception) === '57014') return 1;
  return undefined;
}

export function errorBody(statusCode: number, message: string, details?: ErrorResponseDto['details']): ErrorResponseDto {
  const body: ErrorResponseDto = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (details !== undefined) body.details = details;
  return body;
}

function fromHttpException(exception: HttpException): ErrorResponseDto {
  const status = exception.getStatus();
  // Fastify's own wording ("Unsupported Media Type") does not say what to send instead.
  if (status === (HttpStatus.UNSUPPORTED_MEDIA_TYPE as number))
    return errorBody(status, 'Request bodies must be JSON: send content-type application/json');
  const response = exception.getResponse();
  if (typeof response === 'string') return errorBody(status, response);
  const { message, details } = response as { message?: string | string[]; details?: ErrorResponseDto['details'] };
  const text = Array.isArray(message) ? message.join('; ') : (message ?? exception.message);
  return errorBody(status, text, details);
}

/** PostgreSQL's SQLSTATE of a failed query, through TypeORM or straight from a raw pg client. */
function sqlStateOf(exception: unknown): string | undefined {
  if (exception instanceof QueryFailedError) return (exception.driverError as { code?: string } | undefined)?.code ?? '';
  if (exception instanceof DatabaseError) return exception.code ?? '';
  return undefined;
}

/**
 * A safety net for what a service did not translate itself: constraint violations, and values
 * PostgreSQL cannot take as text, numbers or dates. The message never echoes the SQL or the value.
 */
function fromSqlState(code: string): ErrorResponseDto {
  switch (code) {
    case '23505':
      return errorBody(HttpStatus.CONFLICT, 'The resource conflicts with an existing one');
    case '23503':
      return errorBody(HttpStatus.CONFLICT, 'The resource references, or is referenced by, another resource');
    case '22021': // character_not_in_repertoire: e.g. a byte sequence that is not valid UTF-8
      return errorBody(HttpStatus.BAD_REQUEST, 'A value contains characters that cannot be stored as text');
    case '22P02': // invalid_text_representation: e.g. "abc" where a UUID or a number is expected
    case '22001': // string_data_right_truncation
    case '22003': // numeric_value_out_of_range
    case '22007': // invalid_datetime_format
    case '22008': // datetime_field_overflow
      return errorBody(HttpStatus.BAD_REQUEST, 'A value has the wrong format or is out of range');
    case '57014': // query_canceled: a statement ran past its statement_timeout (the control plane sets one)
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'The database took too long to answer; retry shortly');
    default:
      return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}
