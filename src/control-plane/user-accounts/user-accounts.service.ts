import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PlatformRole, User } from '../users/entities/user.entity';

export interface NewAccount {
  email: string;
  name: string;
  passwordHash: string;
  platformRole: PlatformRole | null;
}

/** How the opening of an account is audited: by its holder (registration, invitation) or by the current actor. */
export interface AccountOpeningAudit {
  byHolder: boolean;
  changes: Record<string, unknown>;
}

/**
 * The only place accounts are opened: the platform admin's bootstrap, a verified registration and
 * an accepted invitation all come here, each inside its own transaction with its own check that the
 * e-mail is free (their answers differ).
 */
@Injectable()
export class UserAccounts {
  constructor(private readonly audit: AuditService) {}

  emailTakenWithin(manager: EntityManager, email: string): Promise<boolean> {
    return manager.exists(User, { where: { email } });
  }

  async openWithin(manager: EntityManager, account: NewAccount, audit: AccountOpeningAudit): Promise<User> {
    const user = await manager.save(manager.create(User, account));
    await this.audit.record(manager, {
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      ...(audit.byHolder ? { actorUserId: user.id } : {}),
      changes: audit.changes,
    });
    return user;
  }
}
