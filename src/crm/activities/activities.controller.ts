import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantModule, TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { OWNER_NOT_FOUND } from '../../control-plane/tenant-binding/tenant-members';
import { ActivityDto, ActivityPageDto, CreateActivityDto, ListActivitiesQueryDto, UpdateActivityDto } from './dto/activity.dto';
import { ActivitiesStores } from './activities-stores';
import { TenantRecordIdPipe } from '../../control-plane/tenant-binding/tenant-record-id.pipe';
import { ServedFromTenantSystem } from '../mapped-sources/byod-answers.openapi';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';

@ApiTags('api: activities')
@TenantModule('activities')
@ServedFromTenantSystem()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/activities')
export class ActivitiesController {
  constructor(private readonly stores: ActivitiesStores) {}

  @Post()
  @Idempotent()
  @TenantPermission('activities.write')
  @ApiOperation({ summary: 'Log a call, e-mail, meeting or note, or create a task, about an account, contact or deal' })
  @ApiCreatedResponse({ type: ActivityDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: `The related record is not one of this tenant; ${OWNER_NOT_FOUND}` })
  create(@Body() dto: CreateActivityDto): Promise<ActivityDto> {
    return this.stores.current().create(dto);
  }

  @Get()
  @TenantPermission('activities.read')
  @ApiOperation({ summary: 'List activities: by type, record, owner, open or completed, due before; search on subject' })
  @ApiOkResponse({ type: ActivityPageDto })
  list(@Query() query: ListActivitiesQueryDto): Promise<ActivityPageDto> {
    return this.stores.current().list(query);
  }

  @Get(':id')
  @TenantPermission('activities.read')
  @ApiOperation({ summary: 'Get an activity' })
  @ApiOkResponse({ type: ActivityDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', TenantRecordIdPipe) id: string): Promise<ActivityDto> {
    return this.stores.current().get(id);
  }

  @Patch(':id')
  @TenantPermission('activities.write')
  @ApiOperation({ summary: 'Change an activity’s subject, body, due date or owner' })
  @ApiOkResponse({ type: ActivityDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: `No such record; or ${OWNER_NOT_FOUND}` })
  update(@Param('id', TenantRecordIdPipe) id: string, @Body() dto: UpdateActivityDto): Promise<ActivityDto> {
    return this.stores.current().update(id, dto);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @TenantPermission('activities.write')
  @ApiOperation({ summary: 'Complete a task' })
  @ApiOkResponse({ type: ActivityDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Not a task, or already completed' })
  complete(@Param('id', TenantRecordIdPipe) id: string): Promise<ActivityDto> {
    return this.stores.current().complete(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('activities.write')
  @ApiOperation({ summary: 'Delete an activity (soft)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', TenantRecordIdPipe) id: string): Promise<void> {
    return this.stores.current().remove(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @TenantPermission('activities.write')
  @ApiOperation({ summary: 'Restore a deleted activity' })
  @ApiOkResponse({ type: ActivityDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No deleted activity with this id' })
  restore(@Param('id', TenantRecordIdPipe) id: string): Promise<ActivityDto> {
    return this.stores.current().restore(id);
  }
}
