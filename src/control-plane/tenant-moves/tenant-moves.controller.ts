import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { StartTenantMoveDto, TenantMoveDto } from './dto/tenant-move.dto';
import { TenantMovesService } from './tenant-moves.service';

@ApiTags('control: tenant moves')
@PlatformAdmin()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such tenant (or move of it)' })
@Controller('control/tenants/:id/moves')
export class TenantMovesController {
  constructor(private readonly moves: TenantMovesService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Move the tenant online to another placement or server',
    description:
      'Answers 202 with the move; a queued job prepares the target, copies the tenant’s rows (logical replication with a ' +
      'tenant row filter when the source server has wal_level=logical, else a copy under the freeze), freezes writes briefly ' +
      '(writes wait, then get 503 with Retry-After; reads are served), catches up, verifies every table (row counts and ' +
      'checksums), and switches the placement in one transaction. The old copy is removed after TENANT_MOVE_RETENTION_SECONDS. ' +
      'Watch `GET …/moves/{moveId}`.',
  })
  @ApiAcceptedResponse({ type: TenantMoveDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The tenant is not active, is byod, already lives there, has an unfinished move, or no target has room',
  })
  start(@Param('id', ParseUUIDPipe) id: string, @Body() dto: StartTenantMoveDto): Promise<TenantMoveDto> {
    return this.moves.start(id, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The tenant’s moves, newest first (at most 100), with their steps' })
  @ApiOkResponse({ type: [TenantMoveDto] })
  list(@Param('id', ParseUUIDPipe) id: string): Promise<TenantMoveDto[]> {
    return this.moves.list(id);
  }

  @Get(':moveId')
  @ApiOperation({ summary: 'One move with its step progress, copy method, freeze duration and verified tables' })
  @ApiOkResponse({ type: TenantMoveDto })
  get(@Param('id', ParseUUIDPipe) id: string, @Param('moveId', ParseUUIDPipe) moveId: string): Promise<TenantMoveDto> {
    return this.moves.get(id, moveId);
  }

  @Post(':moveId/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a failed move again from its first step (the target is cleared first)' })
  @ApiAcceptedResponse({ type: TenantMoveDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The move has not failed' })
  retry(@Param('id', ParseUUIDPipe) id: string, @Param('moveId', ParseUUIDPipe) moveId: string): Promise<TenantMoveDto> {
    return this.moves.retry(id, moveId);
  }

  @Post(':moveId/abandon')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Give up a running or failed move: the tenant stays where it is, unfrozen, and a job removes the target',
  })
  @ApiAcceptedResponse({ type: TenantMoveDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The move already completed or was abandoned' })
  abandon(@Param('id', ParseUUIDPipe) id: string, @Param('moveId', ParseUUIDPipe) moveId: string): Promise<TenantMoveDto> {
    return this.moves.abandon(id, moveId);
  }
}
