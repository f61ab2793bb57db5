import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
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
import { OWNER_NOT_FOUND } from '../../control-plane/tenant-binding/tenant-members';
import { AccountDto, AccountPageDto, CreateAccountDto, ListAccountsQueryDto, UpdateAccountDto } from './dto/account.dto';
import { TenantRecordIdPipe } from '../../control-plane/tenant-binding/tenant-record-id.pipe';
import { AccountsStores } from './accounts-stores';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';
import { ServedFromTenantSystem } from '../mapped-sources/byod-answers.openapi';

@ApiTags('api: accounts')
@TenantModule('accounts')
@ServedFromTenantSystem()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input, including custom fields; `details` names the fields' })
@Controller('api/accounts')
export class AccountsController {
  constructor(private readonly stores: AccountsStores) {}

  @Post()
  @Idempotent()
  @TenantPermission('accounts.write')
  @ApiOperation({ summary: 'Create an account (company)' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: OWNER_NOT_FOUND })
  create(@Body() dto: CreateAccountDto): Promise<AccountDto> {
    return this.stores.current().create(dto);
  }

  @Get()
  @TenantPermission('accounts.read')
  @ApiOperation({ summary: 'List accounts: filters, search on name and domain, sort, cursor pagination' })
  @ApiOkResponse({ type: AccountPageDto })
  list(@Query() query: ListAccountsQueryDto): Promise<AccountPageDto> {
    return this.stores.current().list(query);
  }

  @Get(':id')
  @TenantPermission('accounts.read')
  @ApiOperation({ summary: 'Get an account' })
  @ApiOkResponse({ type: AccountDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', TenantRecordIdPipe) id: string): Promise<AccountDto> {
    return this.stores.current().get(id);
  }

  @Patch(':id')
  @TenantPermission('accounts.write')
  @ApiOperation({ summary: 'Change an account (only the fields sent)' })
  @ApiOkResponse({ type: AccountDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: `No such record; or ${OWNER_NOT_FOUND}` })
  update(@Param('id', TenantRecordIdPipe) id: string, @Body() dto: UpdateAccountDto): Promise<AccountDto> {
    return this.stores.current().update(id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @TenantPermission('accounts.write')
  @ApiOperation({ summary: 'Delete an account (soft: it can be restored)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('id', TenantRecordIdPipe) id: string): Promise<void> {
    return this.stores.current().remove(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @TenantPermission('accounts.write')
  @ApiOperation({ summary: 'Restore a deleted account' })
  @ApiOkResponse({ type: AccountDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  restore(@Param('id', TenantRecordIdPipe) id: string): Promise<AccountDto> {
    return this.stores.current().restore(id);
  }
}
