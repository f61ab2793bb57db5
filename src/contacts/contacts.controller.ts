import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantModule, TenantPermission } from '../auth/access/access.decorators';
import { ErrorResponseDto } from '../common/errors/error-response.dto';
import { ContactDto, ContactPageDto, CreateContactDto, LinkAccountDto, ListContactsQueryDto, UpdateContactDto } from './dto/contact.dto';
import { ContactsService } from './contacts.service';

@ApiTags('api: contacts')
@TenantModule('contacts')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input, including custom fields; `details` names the fields' })
@Controller('api/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post()
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Create a contact (within the plan’s maxContacts)' })
  @ApiCreatedResponse({ type: ContactDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The plan’s maxContacts quota is reached' })
  create(@Body() dto: CreateContactDto): Promise<ContactDto> {
    return this.contacts.create(dto);
  }

  @Get()
  @TenantPermission('contacts.read')
  @ApiOperation({ summary: 'List contacts: by account or owner, search on names and e-mail, sort, cursor pagination' })
  @ApiOkResponse({ type: ContactPageDto })
  list(@Query() query: ListContactsQueryDto): Promise<ContactPageDto> {
    return this.contacts.list(query);
  }

  @Get(':id')
  @TenantPermission('contacts.read')
  @ApiOperation({ summary: 'Get a contact with its accounts' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ContactDto> {
    return this.contacts.get(id);
  }

  @Patch(':id')
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Change a contact (only the fields sent)' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateContactDto): Promise<ContactDto> {
    return this.contacts.update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Delete a contact (soft: it can be restored)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.contacts.remove(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Restore a deleted contact (within the quota)' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The plan’s maxContacts quota is reached' })
  restore(@Param('id', ParseUUIDPipe) id: string): Promise<ContactDto> {
    return this.contacts.restore(id);
  }

  @Put(':id/accounts/:accountId')
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Link the contact to an account, with their role there (or change the role)' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown contact or account' })
  link(@Param('id', ParseUUIDPipe) id: string, @Param('accountId', ParseUUIDPipe) accountId: string, @Body() dto: LinkAccountDto): Promise<ContactDto> {
    return this.contacts.linkAccount(id, accountId, dto.role);
  }

  @Delete(':id/accounts/:accountId')
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Unlink the contact from an account' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  unlink(@Param('id', ParseUUIDPipe) id: string, @Param('accountId', ParseUUIDPipe) accountId: string): Promise<ContactDto> {
    return this.contacts.unlinkAccount(id, accountId);
  }
}
