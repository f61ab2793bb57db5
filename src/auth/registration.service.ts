import { ConflictException, ForbiddenException, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TooManyRequestsException } from '../common/errors/too-many-requests.exception';
import { AppConfig } from '../config/app-config';
import { PlansService } from '../control-plane/plans/plans.service';
import { SLUG_PATTERN } from '../control-plane/tenants/dto/create-tenant.dto';
import { TenantDetailDto } from '../control-plane/tenants/dto/tenant.dto';
import { Tenant } from '../control-plane/tenants/entities/tenant.entity';
import { TenantsService } from '../control-plane/tenants/tenants.service';
import { User } from '../control-plane/users/entities/user.entity';
import { RegisterDto } from './dto/register.dto';

/** Registrations allowed per client IP per LOGIN_THROTTLE_WINDOW_SECONDS: each one creates a database or pool tenant. */
const REGISTRATIONS_PER_IP = 5;

/**
 * Self-service sign-up (seed 004): creates a tenant on the plan's default placement with the
 * registrant as its admin, through the same provisioning queue as platform admins use.
 */
@Injectable()
export class RegistrationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly plans: PlansService,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async register(dto: RegisterDto, clientIp: string | undefined): Promise<TenantDetailDto> {
    if (!this.config.get('provisioning.selfServiceRegistration', { infer: true })) {
      throw new ForbiddenException('Self-service registration is turned off on this platform; ask a platform admin for a tenant');
    }
    await this.countAttempt(clientIp);
    // Never hand an existing account to whoever typed its email.
    if (await this.dataSource.getRepository(User).exists({ where: { email: dto.email } })) {
      throw new ConflictException({
        message: 'An account with this email exists: log in, or ask a platform admin to add a tenant to it',
        details: [{ field: 'email', problems: ['already in use'] }],
      });
    }
    const plan = await this.plans.get(dto.plan);
    return this.tenants.create({
      slug: await this.freeSlug(dto.company),
      name: dto.company,
      plan: plan.name,
      placement: plan.defaultPlacement,
      admin: { email: dto.email, password: dto.password, name: dto.name },
    });
  }

  /** A DNS label from the company name, with a random suffix when that is taken or unusable. */
  private async freeSlug(company: string): Promise<string> {
    const base = company.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '').slice(0, 40) || 'tenant';
    for (let candidate = base; ; candidate = `${base}-${randomBytes(3).toString('hex')}`) {
      if (SLUG_PATTERN.test(candidate) && !(await this.dataSource.getRepository(Tenant).exists({ where: { slug: candidate } }))) return candidate;
    }
  }

  private async countAttempt(clientIp: string | undefined): Promise<void> {
    if (!clientIp) return;
    const window = this.config.get('auth.throttleWindowSeconds', { infer: true });
    const [row]: Array<{ failures: number; retry_after: number }> = await this.dataSource.query(
      `INSERT INTO login_throttle (key, failures, window_started_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_throttle.window_started_at <= now() - make_interval(secs => $2) THEN 1 ELSE login_throttle.failures + 1 END,
         window_started_at = CASE WHEN login_throttle.window_started_at <= now() - make_interval(secs => $2) THEN now() ELSE login_throttle.window_started_at END
       RETURNING failures, ceil(extract(epoch FROM window_started_at + make_interval(secs => $2) - now()))::int AS retry_after`,
      [`register:ip:${clientIp}`, window],
    );
    if (row.failures > REGISTRATIONS_PER_IP) {
      throw new TooManyRequestsException(`Too many registrations from this IP address; try again in ${row.retry_after} seconds`, Math.max(1, row.retry_after));
    }
  }
}
