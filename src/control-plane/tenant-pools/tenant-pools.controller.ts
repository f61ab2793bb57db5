import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { CreateTenantPoolDto, TenantPoolDto } from './dto/tenant-pool.dto';
import { TenantPoolsService } from './tenant-pools.service';

@ApiTags('control: tenant pools')
@PlatformAdmin()
@Controller('control/tenant-pools')
export class TenantPoolsController {
  constructor(private readonly pools: TenantPoolsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a pooled tenant database (latest tenant schema, RLS-bound app role) on a registered server' })
  @ApiCreatedResponse({ type: TenantPoolDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown database server' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'Name already in use, or a database or role of the pool’s name exists that this control plane did not create for it (left untouched)',
  })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto, description: 'The database could not be created; nothing was kept' })
  create(@Body() dto: CreateTenantPoolDto): Promise<TenantPoolDto> {
    return this.pools.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List pooled tenant databases' })
  @ApiOkResponse({ type: [TenantPoolDto] })
  list(): Promise<TenantPoolDto[]> {
    return this.pools.list();
  }
}
