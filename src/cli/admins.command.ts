import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { flattenValidationErrors } from '../common/errors/validation-exception.factory';
import { InviteToPlatformDto } from '../control-plane/invitations/dto/invitation.dto';
import { InvitationsService } from '../control-plane/invitations/invitations.service';
import { CliUsageError } from './cli-arguments';

@SubCommand({ name: 'invite', description: 'Invite a platform admin: the mailed link lets them choose their own password' })
export class AdminsInviteCommand extends CommandRunner {
  constructor(private readonly invitations: InvitationsService) {
    super();
  }

  async run(_parameters: string[], options: { email?: string }): Promise<void> {
    const dto = plainToInstance(InviteToPlatformDto, { email: options.email, platformRole: 'platform_admin' });
    const problems = flattenValidationErrors(await validate(dto));
    if (problems.length > 0) throw new CliUsageError(problems.map((problem) => `${problem.field}: ${problem.problems.join(', ')}`).join('\n'));
    const invitation = await this.invitations.invite({ tenantId: null, role: null, email: dto.email, platformRole: 'platform_admin', invitedBy: null });
    console.log(`Invitation ${invitation.id} for ${invitation.email} recorded; a running Tenantry process mails it (expires ${invitation.expiresAt.toISOString()})`);
  }

  @Option({ flags: '--email <email>', required: true })
  parseEmail(value: string): string {
    return value;
  }
}

@Command({ name: 'admins', description: 'Platform admins', subCommands: [AdminsInviteCommand] })
export class AdminsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
