import { Alert, List } from '@mantine/core';
import { ApiError } from '../api/errors';

/** An error as the API words it: its message, and each field's problems when it names them. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong';
}

export function ApiErrorAlert({ error, title = 'The request was refused' }: { error: unknown; title?: string }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  return (
    <Alert color="red" title={title} role="alert">
      {apiError ? `${apiError.status} ${apiError.body.error}: ${apiError.body.message}` : messageOf(error)}
      {apiError?.body.details && (
        <List size="sm" mt="xs">
          {apiError.body.details.map((detail) => (
            <List.Item key={detail.field}>
              {detail.field}: {detail.problems.join('; ')}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
