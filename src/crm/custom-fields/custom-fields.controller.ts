import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { CreateCustomFieldDto, CustomFieldDto } from './dto/custom-field.dto';
import { CustomFieldsService } from './custom-fields.service';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';

@ApiTags('api: custom fields')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/custom-fields')
export class CustomFieldsController {
  constructor(private readonly fields: CustomFieldsService) {}

  @Get()
  @TenantPermission('tenant.read')
  @ApiOperation({ summary: 'The tenant’s custom fields, optionally of one kind of record' })
  @ApiQuery({ name: 'entity', required: false, description: 'Only the fields of this kind of record, e.g. `account`' })
  @ApiOkResponse({ type: [CustomFieldDto] })
  list(@Query('entity') entity?: string): Promise<CustomFieldDto[]> {
    return this.fields.list(entity);
  }

  @Post()
  @Idempotent()
  @TenantPermission('tenant.manage')
  @ApiOperation({ summary: 'Define a custom field: type, required, allowed values; validated like built-in fields' })
  @ApiCreatedResponse({ type: CustomFieldDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The key is taken for that kind of record' })
  create(@Body() dto: CreateCustomFieldDto): Promise<CustomFieldDto> {
    return this.fields.create(dto);
  }

  @Delete(':entity/:key')
  @HttpCode(204)
  @TenantPermission('tenant.manage')
  @ApiOperation({ summary: 'Remove a custom field definition' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  remove(@Param('entity') entity: string, @Param('key') key: string): Promise<void> {
    return this.fields.remove(entity, key);
  }
}
