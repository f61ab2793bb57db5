import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, CommandRunner, Option, SubCommand } from 'nest-commander';
import { flattenValidationErrors } from '../platform/errors/validation-exception.factory';
import { CreateTenantDto } from '../control-plane/tenants/dto/create-tenant.dto';
import { TenantCreation } from '../control-plane/tenants/tenant-creation.service';
import { TenantLifecycle } from '../control-plane/tenants/tenant-lifecycle.service';
import { TenantLookup } from '../control-plane/tenants/tenant-lookup.service';
import { CliUsageError, invalidFields } from './cli-arguments';
import { CliOutput } from './cli-output';
import { TenantsMoveCommand } from './moves.command';

@SubCommand({ name: 'list', description: 'Tenants with status, placement and tenant schema version' })
export class TenantsListCommand extends CommandRunner {
  constructor(
    private readonly tenants: TenantLookup,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const tenants: Array<Record<string, unknown>> = [];
    let cursor: string | undefined;
    do {
      const page = await this.tenants.list({ limit: 100, cursor }, undefined);
      tenants.push(
        ...page.items.map(({ id, slug, name, status, plan, placement, schemaVersion }) => ({
          id,
          slug,
          name,
          status,
          plan,
          placement,
          schemaVersion,
        })),
      );
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    this.output.result({ tenants }, () => console.table(tenants.map(({ id: _id, ...tenant }) => tenant)));
  }
}

interface CreateOptions {
  slug?: string;
  name?: string;
  plan?: string;
  placement?: string;
  adminEmail?: string;
}

@SubCommand({ name: 'create', description: 'Register a tenant; the running app’s worker provisions it' })
export class TenantsCreateCommand extends CommandRunner {
  constructor(
    private readonly tenants: TenantCreation,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(_parameters: string[], options: CreateOptions): Promise<void> {
    const dto = plainToInstance(CreateTenantDto, {
      slug: options.slug,
      name: options.name ?? options.slug,
      plan: options.plan ?? 'starter',
      placement: options.placement ?? 'pooled',
      admin: { email: options.adminEmail },
    });
    const problems = flattenValidationErrors(await validate(dto, { forbidUnknownValues: true }));
    if (problems.length > 0) throw invalidFields(problems);
    const { id, slug, name, status, plan, placement } = await this.tenants.create(dto);
    this.output.result({ tenant: { id, slug, name, status, plan, placement }, invitedAdmin: dto.admin.email }, () =>
      console.log(
        `Tenant ${slug} (${id}) registered, status ${status}; a running Tenantry process provisions it and mails ${dto.admin.email} an invitation to be its admin.`,
      ),
    );
  }

  @Option({ flags: '--slug <slug>', description: 'DNS label, also the subdomain', required: true })
  parseSlug(value: string): string {
    return value;
  }

  @Option({ flags: '--name <name>', description: 'display name (default: the slug)' })
  parseName(value: string): string {
    return value;
  }

  @Option({
    flags: '--plan <plan>',
    description: 'the name of an existing plan, e.g. starter, professional or enterprise (default starter)',
  })
  parsePlan(value: string): string {
    return value;
  }

  @Option({ flags: '--placement <placement>', description: 'pooled, dedicated or byod (default pooled)' })
  parsePlacement(value: string): string {
    return value;
  }

  @Option({ flags: '--admin-email <email>', description: 'invited to be the tenant admin', required: true })
  parseAdminEmail(value: string): string {
    return value;
  }
}

/** The tenant named by the command's `<tenant>` argument (commander makes sure there is one). */
async function tenantIdOf(tenants: TenantLookup, [reference]: string[]): Promise<string> {
  const tenant = await tenants.findByReference(reference);
  if (!tenant) throw new CliUsageError(`Tenant "${reference}" not found`);
  return tenant.id;
}

@SubCommand({ name: 'suspend', arguments: '<tenant>', description: 'Suspend a tenant (slug or id): its users are refused at once' })
export class TenantsSuspendCommand extends CommandRunner {
  constructor(
    private readonly tenants: TenantLifecycle,
    private readonly lookup: TenantLookup,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(parameters: string[]): Promise<void> {
    const tenant = await this.tenants.suspend(await tenantIdOf(this.lookup, parameters));
    this.output.result({ tenant: { id: tenant.id, slug: tenant.slug, status: tenant.status } }, () =>
      console.log(`Tenant ${tenant.slug} is ${tenant.status}`),
    );
  }
}

@SubCommand({ name: 'resume', arguments: '<tenant>', description: 'Resume a suspended tenant (slug or id)' })
export class TenantsResumeCommand extends CommandRunner {
  constructor(
    private readonly tenants: TenantLifecycle,
    private readonly lookup: TenantLookup,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(parameters: string[]): Promise<void> {
    const tenant = await this.tenants.resume(await tenantIdOf(this.lookup, parameters));
    this.output.result({ tenant: { id: tenant.id, slug: tenant.slug, status: tenant.status } }, () =>
      console.log(`Tenant ${tenant.slug} is ${tenant.status}`),
    );
  }
}

@Command({
  name: 'tenants',
  description: 'List, create, suspend, resume and move tenants',
  subCommands: [TenantsListCommand, TenantsCreateCommand, TenantsSuspendCommand, TenantsResumeCommand, TenantsMoveCommand],
})
export class TenantsCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
