import { plainToInstance } from 'class-transformer';
import { isUUID, validate } from 'class-validator';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { StartTenantMoveDto } from '../control-plane/tenant-moves/dto/tenant-move.dto';
import { TenantMovesService } from '../control-plane/tenant-moves/tenant-moves.service';
import { TenantLookup } from '../control-plane/tenants/tenant-lookup.service';
import { flattenValidationErrors } from '../platform/errors/validation-exception.factory';
import { CliUsageError, invalidFields } from './cli-arguments';
import { CliOutput } from './cli-output';

interface MoveOptions {
  placement?: string;
  server?: string;
  pool?: string;
}

/** `tenants move`: records the move and enqueues its job; a running Tenantry process's worker carries it out. */
@SubCommand({
  name: 'move',
  arguments: '<tenant>',
  description: 'Move a tenant (slug or id) online to another placement or server; a running Tenantry process does the work',
})
export class TenantsMoveCommand extends CommandRunner {
  constructor(
    private readonly moves: TenantMovesService,
    private readonly lookup: TenantLookup,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([reference]: string[], options: MoveOptions): Promise<void> {
    const dto = plainToInstance(StartTenantMoveDto, {
      placement: options.placement,
      databaseServerId: options.server,
      poolId: options.pool,
    });
    const problems = flattenValidationErrors(await validate(dto, { forbidUnknownValues: true }));
    if (problems.length > 0) throw invalidFields(problems);
    const tenant = await this.lookup.findByReference(reference);
    if (!tenant) throw new CliUsageError(`Tenant "${reference}" not found`);
    const move = await this.moves.start(tenant.id, dto);
    this.output.result({ move }, () =>
      console.log(
        `Move ${move.id} of ${tenant.slug} to ${move.target.placement} (${move.target.databaseName}) started; ` +
          `follow it with GET /control/tenants/${tenant.id}/moves/${move.id}.`,
      ),
    );
  }

  @Option({ flags: '--placement <placement>', description: 'pooled or dedicated', required: true })
  parsePlacement(value: string): string {
    return value;
  }

  @Option({ flags: '--server <id>', description: 'the database server to move to (default: the one with most room)' })
  parseServer(value: string): string {
    return value;
  }

  @Option({ flags: '--pool <id>', description: 'pooled only: the tenant pool to move into' })
  parsePool(value: string): string {
    return value;
  }
}

@SubCommand({ name: 'drain', arguments: '<server-id>', description: 'Move every tenant off a database server (marks it draining)' })
export class ServersDrainCommand extends CommandRunner {
  constructor(
    private readonly moves: TenantMovesService,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([serverId]: string[]): Promise<void> {
    if (!isUUID(serverId)) throw invalidFields([{ field: 'server-id', problems: ['must be a UUID'] }]);
    const drain = await this.moves.drain(serverId);
    this.output.result(drain, () => {
      console.log(`Server ${serverId} is draining: ${drain.moves.length} move(s) under way, ${drain.refused.length} tenant(s) refused`);
      for (const refusal of drain.refused) console.log(`  ${refusal.tenantId}: ${refusal.reason}`);
    });
    if (drain.refused.length > 0) process.exitCode = 1;
  }
}

@Command({ name: 'servers', description: 'Database servers: drain', subCommands: [ServersDrainCommand] })
export class ServersCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
