import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryFailedError } from 'typeorm';
import { ConnectionBudgetExhaustedError, DataSourceRegistryClosedError } from '../../../libs/tenancy/data-source-registry';
import { ErrorResponseDto } from './error-response.dto';
import { RetryLaterException } from './retry-later.exception';
import { TooManyRequestsException } from './too-many-requests.exception';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/**
 * Renders every error as `{ statusCode, error, message, details? }`. Unexpected errors are
 * logged with their stack and answered with a bare 500: no stack, SQL or secret leaves here.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<ReplyLike>();
    const body = this.toBody(exception);
    if (exception instanceof TooManyRequestsException || exception instanceof RetryLaterException) reply.header('retry-after', String(exception.retryAfterSeconds));
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown): ErrorResponseDto {
    if (exception instanceof HttpException) return fromHttpException(exception);
    if (exception instanceof QueryFailedError) return fromDatabaseError(exception);
    if (exception instanceof ConnectionBudgetExhaustedError) {
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'The service is at its tenant connection limit; retry shortly');
    }
    if (exception instanceof DataSourceRegistryClosedError) {
      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'The service is shutting down; retry on another instance');
    }
    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}

export function errorBody(statusCode: number, message: string, details?: ErrorResponseDto['details']): ErrorResponseDto {
  const body: ErrorResponseDto = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message };
  if (details !== undefined) body.details = details;
  return body;
}

function fromHttpException(exception: HttpException): ErrorResponseDto {
  const status = exception.getStatus();
  // Fastify's own wording ("Unsupported Media Type") does not say what to send instead.
  if (status === HttpStatus.UNSUPPORTED_MEDIA_TYPE) return errorBody(status, 'Request bodies must be JSON: send content-type application/json');
  const response = exception.getResponse();
  if (typeof response === 'string') return errorBody(status, response);
  const { message, details } = response as { message?: string | string[]; details?: ErrorResponseDto['details'] };
  const text = Array.isArray(message) ? message.join('; ') : message ?? exception.message;
  return errorBody(status, text, details);
}

/** A safety net for constraint violations a service did not translate itself. */
function fromDatabaseError(error: QueryFailedError): ErrorResponseDto {
  const code = (error.driverError as { code?: string } | undefined)?.code;
  switch (code) {
    case '23505':
      return errorBody(HttpStatus.CONFLICT, 'The resource conflicts with an existing one');
    case '23503':
      return errorBody(HttpStatus.CONFLICT, 'The resource references, or is referenced by, another resource');
    case '22P02':
    case '22001':
    case '22003':
    case '22007':
    case '22008':
      return errorBody(HttpStatus.BAD_REQUEST, 'A value has the wrong format or is out of range');
    default:
      return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
  }
}
