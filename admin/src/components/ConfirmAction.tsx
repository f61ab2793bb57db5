import { Button, type ButtonProps, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ApiErrorAlert } from './ApiErrorAlert';
import { GuardedButton } from './GuardedButton';

interface ConfirmActionProps {
  /** The button's label and the dialog's title, e.g. "Suspend". */
  label: string;
  /** What will happen, said before it happens. */
  consequence: string;
  color?: string;
  /** The button's size, e.g. `xs` beside other small buttons in a table row. */
  size?: ButtonProps['size'];
  deniedReason?: string;
  /** The id of an element already saying deniedReason (see GuardedButton). */
  deniedReasonShownAt?: string;
  onConfirm: () => Promise<void>;
}

/** A button that asks first: a dialog says what will happen; the API's refusal shows in the dialog. */
export function ConfirmAction({ label, consequence, color, size, deniedReason, deniedReasonShownAt, onConfirm }: ConfirmActionProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      setOpen(false);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <GuardedButton
        variant="outline"
        color={color}
        size={size}
        deniedReason={deniedReason}
        deniedReasonShownAt={deniedReasonShownAt}
        onClick={() => setOpen(true)}
      >
        {label}
      </GuardedButton>
      {/* lockScroll off: its scroll lock writes a <style> tag, which the console's content security policy refuses. */}
      <Modal opened={open} onClose={() => setOpen(false)} title={`${label}?`} lockScroll={false}>
        <Stack>
          <Text>{consequence}</Text>
          <ApiErrorAlert error={error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button color={color} loading={busy} onClick={() => void confirm()}>
              {label}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
