import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';

/** Documents the 429 of a throttled route (TooManyRequestsException) with the Retry-After header it carries. */
export const ApiThrottled = (why: string) =>
  ApiTooManyRequestsResponse({
    type: ErrorResponseDto,
    description: `${why}; try again after \`Retry-After\` seconds`,
    headers: { 'Retry-After': { description: 'Seconds until the limit lets the request through', schema: { type: 'integer' } } },
  });
