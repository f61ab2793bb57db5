import { Button, type ButtonProps, Group, Text } from '@mantine/core';
import { type MouseEventHandler, useId } from 'react';

/**
 * A refusal said once on the page, at the element with id `shownAt`, for a page of buttons it disables (a
 * read-only role's table of actions): each points at it rather than repeating it beside every one.
 */
export interface SharedDenial {
  reason: string;
  shownAt: string;
}

interface GuardedButtonProps extends ButtonProps {
  /** Why the signed-in person may not do this; the button is then disabled and the reason shown beside it. */
  deniedReason?: string;
  /** The id of an element already saying deniedReason: the disabled button is described by it instead. */
  deniedReasonShownAt?: string;
  onClick?: MouseEventHandler<HTMLButtonElement>;
  type?: 'button' | 'submit';
  'aria-label'?: string;
}

/** GuardedButton's (and ConfirmAction's) props for a refusal shared by the page: none when there is no refusal. */
export function guardedBy(denied: SharedDenial | undefined): Pick<GuardedButtonProps, 'deniedReason' | 'deniedReasonShownAt'> {
  return denied ? { deniedReason: denied.reason, deniedReasonShownAt: denied.shownAt } : {};
}

/** A button for something the person may or may not do: when not, it says why instead of vanishing. */
export function GuardedButton({ deniedReason, deniedReasonShownAt, children, ...props }: GuardedButtonProps) {
  const reasonId = useId();
  if (!deniedReason) return <Button {...props}>{children}</Button>;
  if (deniedReasonShownAt) {
    return (
      <Button {...props} disabled aria-describedby={deniedReasonShownAt}>
        {children}
      </Button>
    );
  }
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
