import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
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
import { CreateEventDto, EventDto, EventPageDto, ListEventsQueryDto, UpdateEventDto } from './dto/event.dto';
import { EventsService } from './events.service';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';

@ApiTags('api: events')
@TenantModule('events')
@ApiBadRequestResponse({
  type: ErrorResponseDto,
  description: 'Invalid input (a date ending before it starts, an unknown time zone, more than 50 dates…); `details` names the fields',
})
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @Idempotent()
  @TenantPermission('events.write')
  @ApiOperation({ summary: 'Create an event with one to 50 dates and its staff; a date without a time zone is in the tenant’s' })
  @ApiCreatedResponse({ type: EventDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: `A staff member or the owner is not a user of this tenant; \`details\` names \`staff[i].userId\` or \`ownerUserId\``,
  })
  create(@Body() dto: CreateEventDto): Promise<EventDto> {
    return this.events.create(dto);
  }

  @Get()
  @TenantPermission('events.read')
  @ApiOperation({
    summary:
      'List events: with a date overlapping [from, to), by status, category, type, staff member; search on name; sort; cursor pagination',
  })
  @ApiOkResponse({ type: EventPageDto })
  list(@Query() query: ListEventsQueryDto): Promise<EventPageDto> {
    return this.events.list(query);
  }

  @Get(':id')
  @TenantPermission('events.read')
  @ApiOperation({ summary: 'Get an event with its dates and staff' })
  @ApiOkResponse({ type: EventDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<EventDto> {
    return this.events.get(id);
  }

  @Patch(':id')
  @TenantPermission('events.write')
  @ApiOperation({ summary: 'Change an event; dates or staff sent replace the old ones; the status only moves to an allowed one' })
  @ApiOkResponse({ type: EventDto })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'No such event, or a staff member or the owner is not a user of this tenant (`details` names the field)',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The status cannot go there from the current one; the message names the allowed ones',
  })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateEventDto): Promise<EventDto> {
    return this.events.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('events.write')
  @ApiOperation({ summary: 'Delete an event (soft: it can be restored)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.events.remove(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @TenantPermission('events.write')
  @ApiOperation({ summary: 'Restore a deleted event with its dates and staff' })
  @ApiOkResponse({ type: EventDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No deleted event with this id' })
  restore(@Param('id', ParseUUIDPipe) id: string): Promise<EventDto> {
    return this.events.restore(id);
  }
}
