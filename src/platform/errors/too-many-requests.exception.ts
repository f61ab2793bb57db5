import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 that also tells the client when to come back (Retry-After header), and optionally which limit it hit (`details`). */
export class TooManyRequestsException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    details?: Record<string, unknown>,
  ) {
    super(details ? { message, details } : message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
