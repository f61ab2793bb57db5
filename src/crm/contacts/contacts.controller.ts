import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
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
import { ContactDto, ContactPageDto, CreateContactDto, LinkAccountDto, ListContactsQueryDto, UpdateContactDto } from './dto/contact.dto';
import { TenantRecordIdPipe } from '../../control-plane/tenant-binding/tenant-record-id.pipe';
import { ContactsStores } from './contacts-stores';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';
import { ServedFromTenantSystem } from '../mapped-sources/byod-answers.openapi';

@ApiTags('api: contacts')
@TenantModule('contacts')
@ServedFromTenantSystem()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input, including custom fields; `details` names the fields' })
@Controller('api/contacts')
export class ContactsController {
  constructor(private readonly stores: ContactsStores) {}

  @Post()
  @Idempotent()
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Create a contact (within the plan’s maxContacts)' })
  @ApiCreatedResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: OWNER_NOT_FOUND })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The plan’s maxContacts quota is reached' })
  create(@Body() dto: CreateContactDto): Promise<ContactDto> {
    return this.stores.current().create(dto);
  }

  @Get()
  @TenantPermission('contacts.read')
  @ApiOperation({ summary: 'List contacts: by account or owner, search on names and e-mail, sort, cursor pagination' })
  @ApiOkResponse({ type: ContactPageDto })
  list(@Query() query: ListContactsQueryDto): Promise<ContactPageDto> {
    return this.stores.current().list(query);
  }

  @Get(':id')
  @TenantPermission('contacts.read')
  @ApiOperation({ summary: 'Get a contact with its accounts' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', TenantRecordIdPipe) id: string): Promise<ContactDto> {
    return this.stores.current().get(id);
  }

  @Patch(':id')
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Change a contact (only the fields sent)' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: `No such record; or ${OWNER_NOT_FOUND}` })
  update(@Param('id', TenantRecordIdPipe) id: string, @Body() dto: UpdateContactDto): Promise<ContactDto> {
    return this.stores.current().update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Delete a contact (soft: it can be restored)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', TenantRecordIdPipe) id: string): Promise<void> {
    return this.stores.current().remove(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Restore a deleted contact (within the quota)' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The plan’s maxContacts quota is reached' })
  restore(@Param('id', TenantRecordIdPipe) id: string): Promise<ContactDto> {
    return this.stores.current().restore(id);
  }

  @Put(':id/accounts/:accountId')
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Link the contact to an account, with their role there (or change the role)' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown contact or account' })
  link(
    @Param('id', TenantRecordIdPipe) id: string,
    @Param('accountId', TenantRecordIdPipe) accountId: string,
    @Body() dto: LinkAccountDto,
  ): Promise<ContactDto> {
    return this.stores.current().linkAccount(id, accountId, dto.role);
  }

  @Delete(':id/accounts/:accountId')
  @TenantPermission('contacts.write')
  @ApiOperation({ summary: 'Unlink the contact from an account' })
  @ApiOkResponse({ type: ContactDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  unlink(@Param('id', TenantRecordIdPipe) id: string, @Param('accountId', TenantRecordIdPipe) accountId: string): Promise<ContactDto> {
    return this.stores.current().unlinkAccount(id, accountId);
  }
}
