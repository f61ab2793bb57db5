import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../platform/config/app-config';
import { UsersService } from './users/users.service';

export interface PlatformAdminOutcome {
  email: string;
  /** Only when this start created the admin with a generated password: shown once, never stored in clear. */
  generatedPassword?: string;
  created: boolean;
}

/** Makes sure the platform admin of ADMIN_EMAIL exists; an existing account is left untouched. */
@Injectable()
export class PlatformAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlatformAdminBootstrap.name);
  outcome: PlatformAdminOutcome;

  constructor(
    private readonly users: UsersService,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { email, password } = this.config.get('admin', { infer: true });
    if (await this.users.findByEmail(email)) {
      this.outcome = { email, created: false };
      return;
    }
    const chosen = password ?? randomBytes(18).toString('base64url');
    try {
      await this.users.create({ email, password: chosen, name: 'Platform admin' }, 'platform_admin');
      this.outcome = { email, created: true, generatedPassword: password ? undefined : chosen };
      this.logger.log(`Created platform admin ${email}`);
    } catch (error) {
      // Another process starting at the same moment created it first.
      if (!(await this.users.findByEmail(email))) throw error;
      this.outcome = { email, created: false };
    }
  }
}
