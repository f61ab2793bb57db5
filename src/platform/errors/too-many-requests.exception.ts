import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 that also tells the client when to come back (Retry-After header). */
export class TooManyRequestsException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
