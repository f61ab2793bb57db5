import { Button, type ButtonProps, Group, Text } from '@mantine/core';
import { type MouseEventHandler, useId } from 'react';

interface GuardedButtonProps extends ButtonProps {
  /** Why the signed-in person may not do this; the button is then disabled and the reason shown beside it. */
  deniedReason?: string;
  onClick?: MouseEventHandler<HTMLButtonElement>;
  type?: 'button' | 'submit';
}

/** A button for something the person may or may not do: when not, it says why instead of vanishing. */
export function GuardedButton({ deniedReason, children, ...props }: GuardedButtonProps) {
  const reasonId = useId();
  if (!deniedReason) return <Button {...props}>{children}</Button>;
  return (
    <Group gap="xs" wrap="nowrap">
      <Button {...props} disabled aria-describedby={reasonId}>
        {children}
      </Button>
      <Text id={reasonId} size="sm" c="gray.8">
        {deniedReason}
      </Text>
    </Group>
  );
}
