import { List, Text } from '@mantine/core';
import classes from './ChangesDiff.module.css';

interface Move {
  from: unknown;
  to: unknown;
}

const isMove = (value: unknown): value is Move => typeof value === 'object' && value !== null && 'from' in value && 'to' in value;
const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * An audit entry's changes as a diff: a field recorded as `{ from, to }` shows the old value struck and
 * the new one inserted; any other field is a value set.
 */
export function ChangesDiff({ changes }: { changes: Record<string, unknown> | null }) {
  if (!changes || Object.keys(changes).length === 0) return <Text size="sm">—</Text>;
  return (
    <List size="sm" listStyleType="none" spacing={2}>
      {Object.entries(changes).map(([field, value]) => (
        <List.Item key={field}>
          <span className={classes.field}>{field}</span>:{' '}
          {isMove(value) ? (
            <>
              <del className={classes.removed}>{shown(value.from)}</del> → <ins className={classes.added}>{shown(value.to)}</ins>
            </>
          ) : (
            <ins className={classes.added}>{shown(value)}</ins>
          )}
        </List.Item>
      ))}
    </List>
  );
}
