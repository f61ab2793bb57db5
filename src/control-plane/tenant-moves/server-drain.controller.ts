import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { ServerDrainDto } from './dto/tenant-move.dto';
import { TenantMovesService } from './tenant-moves.service';

@ApiTags('control: database servers')
@PlatformAdmin()
@Controller('control/database-servers')
export class ServerDrainController {
  constructor(private readonly moves: TenantMovesService) {}

  @Post(':id/drain')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Move every tenant off the server',
    description:
      'Marks the server `draining` (no new tenant, pool or move is placed there) and starts a move for each active tenant on it ' +
      '(dedicated databases and pools alike) to another server. Once they completed and their old copies are removed, the ' +
      'server can be deleted. Calling it again starts moves for tenants left behind.',
  })
  @ApiAcceptedResponse({ type: ServerDrainDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  drain(@Param('id', ParseUUIDPipe) id: string): Promise<ServerDrainDto> {
    return this.moves.drain(id);
  }
}
