import { HttpException, HttpStatus } from '@nestjs/common';

/** 503 that tells the client when to try again (Retry-After header): the service is busy with something that will end. */
export class RetryLaterException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.SERVICE_UNAVAILABLE);
  }
}
