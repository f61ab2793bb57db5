import { Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { useSession } from '../session/SessionContext';
import { textField } from '../components/form-fields';

/** Email and password, then the authenticator's code (or a recovery code) when the account has a second factor. */
export function SignInPage() {
  const { signIn, completeSecondFactor } = useSession();
  const [mfaToken, setMfaToken] = useState<string>();
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = (step: (form: FormData) => Promise<void>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await step(new FormData(event.currentTarget));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const passwordStep = submit(async (form) => {
    const result = await signIn(textField(form, 'email'), textField(form, 'password'));
    if (!result.signedIn) setMfaToken(result.mfaToken);
  });

  const secondFactorStep = submit(async (form) => {
    const answer = textField(form, 'answer');
    await completeSecondFactor(mfaToken!, useRecoveryCode ? { recoveryCode: answer } : { code: answer });
  });

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <Title order={1} size="h2" mb="md">
          Tenantry admin console
        </Title>
        {mfaToken ? (
          <form onSubmit={(event) => void secondFactorStep(event)}>
            <Stack>
              <Text>{useRecoveryCode ? 'Enter one of your recovery codes.' : 'Enter the code your authenticator app shows.'}</Text>
              <TextInput
                name="answer"
                label={useRecoveryCode ? 'Recovery code' : 'Authentication code'}
                autoComplete="one-time-code"
                inputMode={useRecoveryCode ? 'text' : 'numeric'}
                required
                data-autofocus
              />
              <ApiErrorAlert error={error} title="Not signed in" />
              <Button type="submit" loading={busy}>
                Verify
              </Button>
              <Anchor component="button" type="button" size="sm" onClick={() => setUseRecoveryCode(!useRecoveryCode)}>
                {useRecoveryCode ? 'Use the authenticator code instead' : 'Use a recovery code instead'}
              </Anchor>
            </Stack>
          </form>
        ) : (
          <form onSubmit={(event) => void passwordStep(event)}>
            <Stack>
              <TextInput name="email" type="email" label="E-mail" autoComplete="username" required />
              <PasswordInput name="password" label="Password" autoComplete="current-password" required />
              <ApiErrorAlert error={error} title="Not signed in" />
              <Button type="submit" loading={busy}>
                Sign in
              </Button>
            </Stack>
          </form>
        )}
      </Paper>
    </Center>
  );
}
