import { Alert, List, Text } from '@mantine/core';
import { ApiError } from '../api/errors';

/** An error as the API words it: its message, and each field's problems when it names them. */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong';
}

interface ApiErrorAlertProps {
  error: unknown;
  title?: string;
  /** Fields a form shows the problems of beside their inputs: left out of the list here. */
  placed?: (field: string) => boolean;
}

export function ApiErrorAlert({ error, title = 'The request was refused', placed }: ApiErrorAlertProps) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  const details = apiError?.body.details ?? [];
  const listed = placed ? details.filter((detail) => !placed(detail.field)) : details;
  return (
    <Alert color="red" title={title} role="alert">
      {apiError ? `${apiError.status} ${apiError.body.error}: ${apiError.body.message}` : messageOf(error)}
      {listed.length < details.length && <Text size="sm">Each problem is shown at its field below.</Text>}
      {listed.length > 0 && (
        <List size="sm" mt="xs">
          {listed.map((detail) => (
            <List.Item key={detail.field}>
              {detail.field}: {detail.problems.join('; ')}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
