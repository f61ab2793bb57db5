import type { components } from '../../../packages/client';

export type ApiErrorBody = components['schemas']['ErrorResponseDto'];

/** An answer other than 2xx, kept in the API's own words (`message`, and `details` per field). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/** The API's error body, or one in the same shape when the answer was not JSON (a proxy's page, a lost connection). */
export function toApiError(status: number, error: unknown): ApiError {
  if (isErrorBody(error)) return new ApiError(status, error);
  return new ApiError(status, { statusCode: status, error: 'Error', message: `The server answered ${status}` });
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ApiErrorBody).message === 'string';
}
