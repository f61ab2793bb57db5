import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { RequestContext } from '../../platform/request-context/request-context';
import { AppConfig } from '../../platform/config/app-config';
import { MailOutbox } from '../../platform/mail/mail-outbox';
import { AccessChanges } from '../access-changes';
import { hashOneTimeToken, mintOneTimeToken, ONE_TIME_TOKEN_PATTERN } from '../account-tokens/one-time-token';
import { AuditService } from '../audit/audit.service';
import { assertUserQuota } from '../memberships/user-quota';
import { TenantRolesService } from '../tenant-roles/tenant-roles.service';
import { MembershipDirectory } from '../memberships/membership-directory';
import { MembershipsService } from '../memberships/memberships.service';
import { Tenant } from '../schema/tenant.entity';
import { User } from '../schema/user.entity';
import { PasswordHasher } from '../users/password-hasher';
import { UserAccounts } from '../users/user-accounts.service';
import { AcceptedInvitationDto, InvitationDto, InvitationPreviewDto } from './dto/invitation.dto';
import { Invitation } from '../schema/invitation.entity';
import { invitationMail } from './invitation-mail';

export interface NewInvitation {
  email: string;
  /** With a tenant: joining it with `role`; without: an account on the platform. */
  tenantId: string | null;
  role: string | null;
  platformRole?: 'platform_admin' | null;
  /** Defaults to the caller of the current request. */
  invitedBy?: string | null;
}

const INVALID_INVITATION = 'This invitation is invalid, was already used, was revoked or has expired';
/** Tenants in these states can no longer be joined. */
const CLOSED_TENANT_STATUSES = ['deleted', 'purged'];

/**
 * Invitations: the only way into a tenant for an existing account, and the only way an account is
 * opened by someone other than its holder's own registration. The inviter never learns whether the
 * e-mail has an account; the invitee proves the mailbox by the mailed token and, for a new account,
 * chooses the password.
 */
@Injectable()
export class InvitationsService {
  private readonly ttlMs: number;
  private readonly publicUrl: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: TenantRolesService,
    private readonly directory: MembershipDirectory,
    private readonly memberships: MembershipsService,
    private readonly audit: AuditService,
    private readonly mail: MailOutbox,
    private readonly hasher: PasswordHasher,
    private readonly accounts: UserAccounts,
    private readonly changes: AccessChanges,
    private readonly context: RequestContext,
    config: ConfigService<AppConfig, true>,
  ) {
    this.ttlMs = config.get('accounts.invitationTtlHours', { infer: true }) * 3_600_000;
    this.publicUrl = config.get('accounts.publicUrl', { infer: true });
  }

  /** Invites in its own transaction and sends the mail once it committed. */
  async invite(invitation: NewInvitation): Promise<InvitationDto> {
    const created = await this.dataSource.transaction((manager) => this.inviteWithin(manager, invitation));
    this.mail.wake();
    return created;
  }

  /**
   * Invites inside the caller's transaction (a tenant's creation names its admin this way). An
   * earlier pending invitation of the same e-mail to the same place is replaced. The caller wakes
   * the mail outbox after committing.
   */
  async inviteWithin(manager: EntityManager, invitation: NewInvitation): Promise<InvitationDto> {
    const tenant = invitation.tenantId ? await this.lockOpenTenant(manager, invitation.tenantId) : null;
    if (tenant) {
      await this.roles.assertAssignable(manager, tenant.id, invitation.role!);
      if (await this.directory.hasMemberWithEmailWithin(manager, tenant.id, invitation.email)) {
        throw new ConflictException({
          message: `${invitation.email} is already a user of this tenant; change their role instead`,
          details: [{ field: 'email', problems: ['already a member'] }],
        });
      }
      await assertUserQuota(manager, tenant);
    }
    await manager.update(
      Invitation,
      { tenantId: invitation.tenantId ?? IsNull(), email: invitation.email, acceptedAt: IsNull(), revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    const { token, hash } = mintOneTimeToken();
    const invitedBy = invitation.invitedBy !== undefined ? invitation.invitedBy : (this.context.actor?.userId ?? null);
    const saved = await manager.save(
      manager.create(Invitation, {
        tenantId: invitation.tenantId,
        email: invitation.email,
        role: invitation.role,
        platformRole: invitation.platformRole ?? null,
        invitedBy,
        tokenHash: hash,
        expiresAt: new Date(Date.now() + this.ttlMs),
      }),
    );
    const inviter = invitedBy ? await manager.findOne(User, { where: { id: invitedBy } }) : null;
    await this.mail.enqueue(manager, invitationMail({ invitation: saved, tenant, inviter, token, publicUrl: this.publicUrl }));
    await this.audit.record(manager, {
      action: 'invitation.create',
      targetType: 'invitation',
      targetId: saved.id,
      tenantId: saved.tenantId,
      changes: { email: saved.email, role: saved.role, platformRole: saved.platformRole, expiresAt: saved.expiresAt },
    });
    return InvitationDto.from(saved);
  }

  /** Invitations of a tenant (or of the platform, with null), newest first. */
  async list(tenantId: string | null): Promise<InvitationDto[]> {
    const rows = await this.dataSource
      .getRepository(Invitation)
      .find({ where: { tenantId: tenantId ?? IsNull() }, order: { createdAt: 'DESC' }, take: 200 });
    return rows.map((row) => InvitationDto.from(row));
  }

  async revoke(tenantId: string | null, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const invitation = await manager.findOne(Invitation, {
        where: { id, tenantId: tenantId ?? IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!invitation) throw new NotFoundException(`Invitation ${id} not found`);
      if (invitation.acceptedAt) throw new ConflictException('This invitation was already accepted; remove the user instead');
      if (invitation.revokedAt) return;
      await manager.update(Invitation, { id }, { revokedAt: new Date() });
      await this.audit.record(manager, {
        action: 'invitation.revoke',
        targetType: 'invitation',
        targetId: id,
        tenantId,
        changes: { email: invitation.email },
      });
    });
  }

  /** What the invitation offers, for its holder (who has the token, so the mailbox). */
  async preview(token: string): Promise<InvitationPreviewDto> {
    const invitation = await this.findPending(this.dataSource.manager, token);
    const tenant = invitation.tenantId ? await this.dataSource.getRepository(Tenant).findOneBy({ id: invitation.tenantId }) : null;
    const inviter = invitation.invitedBy ? await this.dataSource.getRepository(User).findOneBy({ id: invitation.invitedBy }) : null;
    return {
      email: invitation.email,
      tenant: tenant && { id: tenant.id, slug: tenant.slug, name: tenant.name },
      role: invitation.role,
      platformRole: invitation.platformRole,
      invitedBy: inviter ? inviter.name || inviter.email : null,
      expiresAt: invitation.expiresAt,
      accountExists: await this.dataSource.getRepository(User).exists({ where: { email: invitation.email } }),
    };
  }

  /** Accepts by opening the account the invitation was sent for, with the password its holder chose. */
  async acceptWithNewAccount(token: string, password: string, name: string | undefined): Promise<AcceptedInvitationDto> {
    const passwordHash = await this.hasher.hash(password);
    const accepted = await this.dataSource.transaction(async (manager) => {
      const invitation = await this.findPending(manager, token, true);
      if (await this.accounts.emailTakenWithin(manager, invitation.email)) {
        throw new ConflictException('An account with this e-mail exists: sign in, then accept with POST /auth/invitations/accept-existing');
      }
      const account = { email: invitation.email, name: name ?? '', passwordHash, platformRole: invitation.platformRole };
      const changes = { email: account.email, name: account.name, platformRole: account.platformRole, invitationId: invitation.id };
      return this.complete(manager, invitation, await this.accounts.openWithin(manager, account, { byHolder: true, changes }));
    });
    this.announce(accepted);
    return accepted;
  }

  /** Accepts for the signed-in account, which must be the one the invitation was sent to. */
  async acceptAsUser(token: string, userId: string): Promise<AcceptedInvitationDto> {
    const accepted = await this.dataSource.transaction(async (manager) => {
      const invitation = await this.findPending(manager, token, true);
      const user = await manager.findOne(User, { where: { id: userId, status: 'active' } });
      if (!user) throw new ForbiddenException('The account is disabled or no longer exists');
      if (user.email !== invitation.email) throw new ForbiddenException('This invitation was sent to another e-mail address');
      if (invitation.platformRole && user.platformRole !== invitation.platformRole) {
        await manager.update(User, { id: user.id }, { platformRole: invitation.platformRole });
        await this.audit.record(manager, {
          action: 'user.set_platform_role',
          targetType: 'user',
          targetId: user.id,
          changes: { role: { from: user.platformRole, to: invitation.platformRole }, invitationId: invitation.id },
        });
      }
      return this.complete(manager, invitation, user);
    });
    this.announce(accepted);
    return accepted;
  }

  private async complete(manager: EntityManager, invitation: Invitation, user: User): Promise<AcceptedInvitationDto> {
    let tenant: Tenant | null = null;
    if (invitation.tenantId) {
      tenant = await this.lockOpenTenant(manager, invitation.tenantId);
      await this.joinTenant(manager, tenant, invitation, user);
    }
    await manager.update(Invitation, { id: invitation.id }, { acceptedAt: new Date(), acceptedBy: user.id });
    await this.audit.record(manager, {
      action: 'invitation.accept',
      targetType: 'invitation',
      targetId: invitation.id,
      tenantId: invitation.tenantId,
      actorUserId: user.id,
      changes: { email: user.email },
    });
    return {
      userId: user.id,
      email: user.email,
      tenant: tenant && { id: tenant.id, slug: tenant.slug, name: tenant.name },
      role: invitation.role,
    };
  }

  private async joinTenant(manager: EntityManager, tenant: Tenant, invitation: Invitation, user: User): Promise<void> {
    if (await this.directory.isMemberWithin(manager, tenant.id, user.id)) return;
    if (!(await this.roles.permissionsOf(tenant.id, invitation.role!, manager))) {
      throw new ConflictException(`The role "${invitation.role}" no longer exists in this tenant; ask for a new invitation`);
    }
    await this.memberships.addWithin(manager, tenant, user.id, invitation.role!, {
      actorUserId: user.id,
      changes: { email: user.email, role: invitation.role, invitationId: invitation.id },
    });
  }

  private announce(accepted: AcceptedInvitationDto): void {
    if (accepted.tenant) this.changes.membershipChanged(accepted.userId, accepted.tenant.id);
    this.changes.userChanged(accepted.userId);
  }

  private async findPending(manager: EntityManager, token: string, forUpdate = false): Promise<Invitation> {
    const invitation = ONE_TIME_TOKEN_PATTERN.test(token)
      ? await manager.findOne(Invitation, {
          where: { tokenHash: hashOneTimeToken(token) },
          lock: forUpdate ? { mode: 'pessimistic_write' } : undefined,
        })
      : null;
    if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt.getTime() <= Date.now()) {
      throw new BadRequestException({ message: INVALID_INVITATION, details: [{ field: 'token', problems: ['invalid or expired'] }] });
    }
    return invitation;
  }

  private async lockOpenTenant(manager: EntityManager, tenantId: string): Promise<Tenant> {
    const tenant = await manager.findOne(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
    if (!tenant) throw new NotFoundException(`Tenant ${tenantId} not found`);
    if (CLOSED_TENANT_STATUSES.includes(tenant.status))
      throw new ConflictException(`Tenant "${tenant.slug}" is ${tenant.status}; nobody can join it`);
    return tenant;
  }
}
