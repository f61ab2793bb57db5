import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
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

@Command({ name: 'admins', description: 'Platform admins', subCommands: [AdminsCreateCommand] })
export class AdminsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
