import { Group, TextInput } from '@mantine/core';
import { problemsAt } from '../field-errors';
import { textField } from '../form-fields';

/** The fields of an endpoint a person types, as the API names them. */
export interface EndpointText {
  url: string;
  eventTypes: string[];
  description: string;
}

/** The fields whose problems the API names beside their input (the rest are listed in the form's alert). */
export const placedAtEndpointFields = (field: string) => ['url', 'eventTypes', 'description'].includes(field.split('.')[0]);

/** What was typed in EndpointFields; the filters are comma-separated. */
export function endpointTextOf(form: FormData): EndpointText {
  return {
    url: textField(form, 'url'),
    eventTypes: textField(form, 'eventTypes')
      .split(',')
      .map((type) => type.trim())
      .filter(Boolean),
    description: textField(form, 'description'),
  };
}

/** URL, event filters and description of an endpoint, each with the API's problems at it; shared by the create and edit forms. */
export function EndpointFields({ error, initial }: { error: unknown; initial?: EndpointText }) {
  return (
    <Group align="flex-start" gap="sm">
      <TextInput
        name="url"
        label="URL"
        description="Where events are POSTed"
        required
        w={320}
        defaultValue={initial?.url}
        error={problemsAt(error, 'url')}
      />
      <TextInput
        name="eventTypes"
        label="Events"
        description="Comma-separated: *, contact.* or contact.created"
        required
        w={280}
        defaultValue={initial?.eventTypes.join(', ')}
        error={problemsAt(error, 'eventTypes')}
      />
      <TextInput
        name="description"
        label="Description"
        w={220}
        defaultValue={initial?.description}
        error={problemsAt(error, 'description')}
      />
    </Group>
  );
}
