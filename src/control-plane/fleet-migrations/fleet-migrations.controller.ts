import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { CurrentActor } from '../../platform/access/current-actor.decorator';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { Actor } from '../../platform/request-context/request-context';
import { FleetMigrationRunDto, StartFleetMigrationDto } from './dto/fleet-migration.dto';
import { FleetMigrationQueue } from './fleet-migration-queue';
import { FleetMigrationService } from './fleet-migration.service';

@ApiTags('control: migrations')
@PlatformAdmin()
@Controller('control/migrations')
export class FleetMigrationsController {
  constructor(
    private readonly fleet: FleetMigrationService,
    private readonly queue: FleetMigrationQueue,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a fleet migration on the queue: every tenant database (or one tenant’s) to the app’s tenant schema' })
  @ApiAcceptedResponse({ type: FleetMigrationRunDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown tenant' })
  async start(@Body() dto: StartFleetMigrationDto, @CurrentActor() actor: Actor): Promise<FleetMigrationRunDto> {
    const run = await this.dataSource.transaction(async (manager) => {
      const created = await this.fleet.createRun(
        { concurrency: dto.concurrency ?? 4, canary: dto.canary, tenant: dto.tenant, dryRun: dto.dryRun ?? false },
        actor.userId,
        manager,
      );
      await this.queue.enqueue(manager, created.id);
      return created;
    });
    this.queue.wake();
    return FleetMigrationRunDto.from(run);
  }

  @Get()
  @ApiOperation({ summary: 'Recent fleet migration runs, newest first' })
  @ApiOkResponse({ type: [FleetMigrationRunDto] })
  async list(): Promise<FleetMigrationRunDto[]> {
    return (await this.fleet.list()).map((run) => FleetMigrationRunDto.from(run));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A fleet migration run with each database’s progress, outcome and error' })
  @ApiOkResponse({ type: FleetMigrationRunDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<FleetMigrationRunDto> {
    const { run, targets } = await this.fleet.get(id);
    return FleetMigrationRunDto.from(run, targets, true);
  }
}
