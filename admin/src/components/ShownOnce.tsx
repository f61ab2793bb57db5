import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { TONES } from './tones';

/** A secret the API answers only once (a signing secret, an API key): shown with a copy button until dismissed. */
export function ShownOnce({ title, secret, onDismiss }: { title: string; secret: string; onDismiss: () => void }) {
  return (
    <Alert title={title} color={TONES.warning} variant="outline">
      <Stack gap="xs">
        <Text size="sm">Copy it now: it is shown this once and cannot be read again (only a hash or an encrypted copy is kept).</Text>
        <Code block data-testid="shown-once">
          {secret}
        </Code>
        <Group>
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Button variant="default" size="xs" onClick={copy}>
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button variant="default" size="xs" onClick={onDismiss}>
            I have stored it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
