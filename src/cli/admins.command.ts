import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { InjectDataSource } from '@nestjs/typeorm';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { DataSource } from 'typeorm';
import { removeTotp } from '../auth/mfa/totp-removal';
import { AuditService } from '../control-plane/audit/audit.service';
import { flattenValidationErrors } from '../common/errors/validation-exception.factory';
import { CreateUserDto } from '../control-plane/users/dto/create-user.dto';
import { UsersService } from '../control-plane/users/users.service';
import { CliUsageError } from './cli-arguments';

@SubCommand({ name: 'create', description: 'Create a platform admin' })
export class AdminsCreateCommand extends CommandRunner {
  constructor(private readonly users: UsersService) {
    super();
  }

  async run(_parameters: string[], options: { email?: string; password?: string; name?: string }): Promise<void> {
    const dto = plainToInstance(CreateUserDto, { email: options.email, password: options.password, name: options.name });
    const problems = flattenValidationErrors(await validate(dto));
    if (problems.length > 0) throw new CliUsageError(problems.map((problem) => `${problem.field}: ${problem.problems.join(', ')}`).join('\n'));
    const user = await this.users.create(dto, 'platform_admin');
    console.log(`Platform admin ${user.email} (${user.id}) created`);
  }

  @Option({ flags: '--email <email>', required: true })
  parseEmail(value: string): string {
    return value;
  }

  @Option({ flags: '--password <password>', description: 'at least 12 characters', required: true })
  parsePassword(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>' })
  parseName(value: string): string {
    return value;
  }
}

/** Break-glass for a lost authenticator and lost recovery codes: with REQUIRE_ADMIN_MFA, every admin could otherwise be locked out. */
@SubCommand({
  name: 'reset-mfa',
  description: "Remove a user's TOTP second factor and recovery codes; they sign in with the password and enrol again",
})
export class AdminsResetMfaCommand extends CommandRunner {
  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    super();
  }

  async run(_parameters: string[], options: { email: string }): Promise<void> {
    const user = await this.users.findByEmail(options.email);
    if (!user) throw new CliUsageError(`No user with the email ${options.email}`);
    const removed = await this.dataSource.transaction((manager) =>
      removeTotp(manager, this.audit, user.id, 'auth.mfa.reset', { by: 'cli' }),
    );
    console.log(removed ? `TOTP of ${user.email} removed` : `${user.email} has no TOTP; nothing changed`);
  }

  @Option({ flags: '--email <email>', required: true })
  parseEmail(value: string): string {
    return value;
  }
}

@Command({ name: 'admins', description: 'Platform admins', subCommands: [AdminsCreateCommand, AdminsResetMfaCommand] })
export class AdminsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
