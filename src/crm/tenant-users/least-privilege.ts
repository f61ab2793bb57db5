import { ForbiddenException } from '@nestjs/common';

/**
 * Nobody hands out, or takes from someone, more than they may do themselves: every permission of
 * `granted` must be among `own`. A 403 names the field and the permissions the caller lacks.
 */
export function assertWithinOwnPermissions(granted: readonly string[], own: readonly string[], field: string, what: string): void {
  const held = new Set(own);
  const missing = granted.filter((permission) => !held.has(permission));
  if (missing.length > 0) {
    throw new ForbiddenException({
      message: `You cannot grant or change ${what}: it includes permissions you do not hold (${missing.join(', ')})`,
      details: [{ field, problems: missing.map((permission) => `you do not hold ${permission}`) }],
    });
  }
}
