import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PlatformRole, User } from '../schema/user.entity';
import { UserAccount } from './user-account';

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
 * The only place accounts are opened and their passwords stored: the platform admin's bootstrap, a verified registration and
 * an accepted invitation all come here, each inside its own transaction with its own check that the
 * e-mail is free (their answers differ).
 */
@Injectable()
export class UserAccounts {
  constructor(private readonly audit: AuditService) {}

  emailTakenWithin(manager: EntityManager, email: string): Promise<boolean> {
    return manager.exists(User, { where: { email } });
  }

  /** The active account of this e-mail, read in the caller's transaction. */
  findActiveByEmailWithin(manager: EntityManager, email: string): Promise<UserAccount | null> {
    return manager.findOne(User, { where: { email, status: 'active' } });
  }

  findActiveWithin(manager: EntityManager, id: string): Promise<UserAccount | null> {
    return manager.findOne(User, { where: { id, status: 'active' } });
  }

  /** Stores a new password hash in the caller's transaction, which ends the account's sessions and audits the change. */
  async setPasswordWithin(manager: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await manager.update(User, { id: userId }, { passwordHash });
  }

  async openWithin(manager: EntityManager, account: NewAccount, audit: AccountOpeningAudit): Promise<User> {
    const user = await manager.save(manager.create(User, account));
    await this.audit.record(manager, {
      action: 'user.create',
      targetType: 'user',
      targetId: user.id,
      // Without an actor named, the audit names the request's caller (none at bootstrap).
      actorUserId: audit.byHolder ? user.id : undefined,
      changes: audit.changes,
    });
    return user;
  }
}
