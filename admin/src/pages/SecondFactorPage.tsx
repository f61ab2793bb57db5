import { Alert, Button, Code, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { components } from '../../../packages/client';
import { confirmTotp, startTotpSetup } from '../api/second-factor';
import { tokenScope } from '../api/session-tokens';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { textField } from '../components/form-fields';
import { navigate } from '../router';
import { useMe, useSession } from '../session/SessionContext';

type Setup = components['schemas']['TotpSetupDto'];

/**
 * Sets up the signed-in person's second factor: the secret for their authenticator app, a first code to
 * prove it works, then the recovery codes, shown this once. An enrolment-only session (REQUIRE_ADMIN_MFA)
 * must sign in again afterwards to get full tokens.
 */
export function SecondFactorPage() {
  const me = useMe();
  const { signOut, reloadMe } = useSession();
  const [setup, setSetup] = useState<Setup>();
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [error, setError] = useState<unknown>();
  const enrolmentOnly = tokenScope() === 'mfa-enrolment';

  const attempt = async (step: () => Promise<void>) => {
    setError(undefined);
    try {
      await step();
    } catch (failure) {
      setError(failure);
    }
  };

  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = textField(new FormData(event.currentTarget), 'code');
    void attempt(async () => setRecoveryCodes((await confirmTotp(code)).recoveryCodes));
  };

  return (
    <Stack maw={640}>
      <Title order={1} size="h2">
        Second factor
      </Title>
      {enrolmentOnly && !recoveryCodes && <Alert title="Set up a second factor first">Platform admins need one to use the console.</Alert>}
      {me.mfaEnabled && !recoveryCodes && <Text>Sign-in already asks for a code from your authenticator app.</Text>}
      {!me.mfaEnabled && !setup && (
        <Group>
          <Button onClick={() => void attempt(async () => setSetup(await startTotpSetup()))}>Set up an authenticator app</Button>
        </Group>
      )}
      {setup && !recoveryCodes && (
        <form onSubmit={confirm} aria-label="Confirm the authenticator app">
          <Stack>
            <Text>
              Add this secret to your authenticator app ({setup.digits} digits, a new code every {setup.period} seconds):
            </Text>
            <Code block data-testid="totp-secret">
              {setup.secret}
            </Code>
            <Text size="sm">Or as a URI: {setup.otpauthUri}</Text>
            <TextInput name="code" label="The code it shows now" autoComplete="one-time-code" inputMode="numeric" required />
            <Group>
              <Button type="submit">Turn on</Button>
            </Group>
          </Stack>
        </form>
      )}
      <ApiErrorAlert error={error} title="The second factor was not set up" />
      {recoveryCodes && (
        <Stack>
          <Alert color="green" title="The second factor is on">
            Store these recovery codes now: they are shown this once, and each signs in once instead of a code.
          </Alert>
          <List data-testid="recovery-codes">
            {recoveryCodes.map((code) => (
              <List.Item key={code}>
                <Code>{code}</Code>
              </List.Item>
            ))}
          </List>
          <Group>
            {enrolmentOnly ? (
              <Button onClick={() => void signOut()}>Sign in again</Button>
            ) : (
              <Button onClick={() => void reloadMe().then(() => navigate('/tenants'))}>Done</Button>
            )}
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
