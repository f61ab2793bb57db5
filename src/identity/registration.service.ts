import { BadRequestException, ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../platform/config/app-config';
import { ControlPlaneTransactions } from '../control-plane/transactions/control-plane-transactions';
import { AccountTokensService } from '../control-plane/account-tokens/account-tokens.service';
import { LoginThrottleService } from '../control-plane/sessions/login-throttle.service';
import { PlansService } from '../control-plane/plans/plans.service';
import { SLUG_PATTERN } from '../control-plane/tenants/dto/create-tenant.dto';
import { TenantDetailDto } from '../control-plane/tenants/dto/tenant.dto';
import { TenantCreation } from '../control-plane/tenants/tenant-creation.service';
import { TenantLookup } from '../control-plane/tenants/tenant-lookup.service';
import { UserAccounts } from '../control-plane/users/user-accounts.service';
import { PasswordHasher } from '../control-plane/users/password-hasher';
import { ProvisioningQueue } from '../control-plane/provisioning/provisioning-queue';
import { MailOutbox } from '../platform/mail/mail-outbox';
import { accountMails } from './account-mails';
import { RegisterDto } from './dto/register.dto';

/** Registrations allowed per client IP per LOGIN_THROTTLE_WINDOW_SECONDS: each one mails someone. */
const REGISTRATIONS_PER_IP = 5;

/**
 * Self-service sign-up (seed 004) in two steps: the registration mails a one-time link to the
 * e-mail given, and only following it creates the account and the tenant (on the plan's default
 * placement, through the same provisioning queue as platform admins use). Whether the e-mail has
 * an account is never said in the answer: its holder is told by mail instead.
 */
@Injectable()
export class RegistrationService {
  private readonly settings: AppConfig['provisioning'];
  private readonly publicUrl: string;

  constructor(
    private readonly transactions: ControlPlaneTransactions,
    private readonly creation: TenantCreation,
    private readonly tenants: TenantLookup,
    private readonly plans: PlansService,
    private readonly tokens: AccountTokensService,
    private readonly hasher: PasswordHasher,
    private readonly accounts: UserAccounts,
    private readonly mail: MailOutbox,
    private readonly provisioning: ProvisioningQueue,
    private readonly throttle: LoginThrottleService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.settings = config.get('provisioning', { infer: true });
    this.publicUrl = config.get('accounts.publicUrl', { infer: true });
  }

  async register(dto: RegisterDto, clientIp: string | undefined): Promise<void> {
    if (!this.settings.selfServiceRegistration) {
      throw new ForbiddenException('Self-service registration is turned off on this platform; ask a platform admin for a tenant');
    }
    // SELF_SERVICE_PLANS is checked against the plans here, not at start-up: plans are data a platform admin edits.
    if (!this.settings.selfServicePlans.includes(dto.plan) || !(await this.plans.exists(dto.plan))) {
      throw new BadRequestException({
        message: `plan must be one of the plans offered for self-service: ${this.settings.selfServicePlans.join(', ')}`,
        details: [{ field: 'plan', problems: ['not offered for self-service'] }],
      });
    }
    await this.throttle.countMailingRequest('register', clientIp, REGISTRATIONS_PER_IP);
    // Hashed whether or not the e-mail has an account, so both answers take the same time.
    const passwordHash = await this.hasher.hash(dto.password);
    await this.transactions.run(async (manager) => {
      if (await this.accounts.emailTakenWithin(manager, dto.email)) {
        await this.mail.enqueue(manager, accountMails.accountExists(dto.email, this.publicUrl));
        return;
      }
      const payload = { company: dto.company, name: dto.name ?? '', plan: dto.plan, passwordHash };
      const issued = await this.tokens.issue(manager, 'registration', dto.email, { payload });
      await this.mail.enqueue(manager, accountMails.registration(dto.email, dto.company, issued.token, this.publicUrl, issued.expiresAt));
    });
    this.mail.wake();
  }

  /** Follows the mailed link: the account and its tenant are created together, the tenant then provisioned. */
  async verify(token: string): Promise<TenantDetailDto> {
    if (!this.settings.selfServiceRegistration) {
      throw new ForbiddenException('Self-service registration is turned off on this platform; ask a platform admin for a tenant');
    }
    const tenantId = await this.transactions.run(async (manager) => {
      const registration = await this.tokens.consume(manager, 'registration', token);
      const { company, name, plan, passwordHash } = registration.payload ?? {};
      if (await this.accounts.emailTakenWithin(manager, registration.email)) {
        throw new ConflictException('An account with this e-mail was opened meanwhile: sign in instead');
      }
      const account = { email: registration.email, name, passwordHash, platformRole: null };
      const user = await this.accounts.openWithin(manager, account, {
        byHolder: true,
        changes: { email: account.email, name, registration: true },
      });
      const chosen = await this.plans.find(manager, plan);
      if (!chosen) throw new ConflictException(`The ${plan} plan is no longer offered: register again with another plan`);
      return this.creation.createWithin(
        manager,
        {
          slug: await this.freeSlug(company),
          name: company,
          plan: chosen.name,
          placement: chosen.defaultPlacement,
          admin: { email: user.email },
        },
        user.id,
      );
    });
    this.provisioning.wake();
    return this.tenants.get(tenantId);
  }

  /** A DNS label from the company name, with a random suffix when that is taken or unusable. */
  private async freeSlug(company: string): Promise<string> {
    const base =
      company
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^[^a-z]+|-+$/g, '')
        .slice(0, 40) || 'tenant';
    for (let candidate = base; ; candidate = `${base}-${randomBytes(3).toString('hex')}`) {
      if (SLUG_PATTERN.test(candidate) && !(await this.tenants.slugTaken(candidate))) return candidate;
    }
  }
}
