import { ConflictException } from '@nestjs/common';
import { EventStatus } from './entities/event.entity';

/** Where an event may go from each status; cancelled and completed are final. */
const NEXT_STATUSES: Readonly<Record<EventStatus, readonly EventStatus[]>> = {
  planned: ['confirmed', 'cancelled'],
  confirmed: ['planned', 'completed', 'cancelled'],
  cancelled: [],
  completed: [],
};

/** 409 naming the statuses allowed from `from` when `to` is not one of them. */
export function assertStatusChange(from: EventStatus, to: EventStatus): void {
  if (from === to) return;
  const allowed = NEXT_STATUSES[from];
  if (allowed.includes(to)) return;
  const options = allowed.length ? `it can go to ${allowed.join(', ')}` : `${from} is final`;
  throw new ConflictException({
    message: `An event cannot go from ${from} to ${to}: ${options}`,
    details: [{ field: 'status', problems: [allowed.length ? `allowed from ${from}: ${allowed.join(', ')}` : `${from} is final`] }],
  });
}
