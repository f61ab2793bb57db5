import { Badge } from '@mantine/core';
import classes from './StatusBadge.module.css';
import { type Tone, TONES } from './tones';

const TONE_OF_STATUS: Record<string, Tone> = {
  active: 'good',
  succeeded: 'good',
  migrated: 'good',
  provisioning: 'busy',
  running: 'busy',
  queued: 'busy',
  pending: 'busy',
  accepted: 'good',
  revoked: 'neutral',
  expired: 'neutral',
  'would migrate': 'busy',
  suspended: 'warning',
  draining: 'warning',
  skipped: 'warning',
  incomplete: 'warning',
  interrupted: 'warning',
  failed: 'danger',
  configured: 'busy',
  tested: 'busy',
  enabled: 'good',
  disabled: 'neutral',
  failing: 'warning',
  dead: 'danger',
};

/** A status of a tenant, step, run or database, coloured by what it means. */
export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge className={classes.badge} color={TONES[TONE_OF_STATUS[status] ?? 'neutral']} variant="filled">
      {status}
    </Badge>
  );
}
