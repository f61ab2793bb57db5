import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantModule, TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { CreateNoteDto, ListNotesQueryDto, NoteDto, NotePageDto, UpdateNoteDto } from './dto/note.dto';
import { NotesService } from './notes.service';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';

@ApiTags('api: notes')
@TenantModule('notes')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Post()
  @Idempotent()
  @TenantPermission('notes.write')
  @ApiOperation({ summary: 'Create a note' })
  @ApiCreatedResponse({ type: NoteDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'parentId is not a note of this tenant' })
  create(@Body() dto: CreateNoteDto): Promise<NoteDto> {
    return this.notes.create(dto);
  }

  @Get()
  @TenantPermission('notes.read')
  @ApiOperation({ summary: 'List notes, oldest first, with cursor pagination and title search' })
  @ApiOkResponse({ type: NotePageDto })
  list(@Query() query: ListNotesQueryDto): Promise<NotePageDto> {
    return this.notes.list(query);
  }

  @Get(':id')
  @TenantPermission('notes.read')
  @ApiOperation({ summary: 'Get a note' })
  @ApiOkResponse({ type: NoteDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<NoteDto> {
    return this.notes.get(id);
  }

  @Patch(':id')
  @TenantPermission('notes.write')
  @ApiOperation({ summary: 'Change a note' })
  @ApiOkResponse({ type: NoteDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateNoteDto): Promise<NoteDto> {
    return this.notes.update(id, dto);
  }

  @Delete(':id')
  @TenantPermission('notes.write')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a note' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.notes.remove(id);
  }
}
