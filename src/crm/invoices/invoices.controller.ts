import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantModule, TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { CurrentTenantSettings } from '../../control-plane/tenant-settings/current-tenant-settings';
import { CreatePaymentDto } from './dto/create-payment.dto';
import { ChangeStatusDto, CreateInvoiceDto, InvoiceDto, InvoicePageDto, ListInvoicesQueryDto, UpdateInvoiceDto } from './dto/invoice.dto';
import { InvoicesService } from './invoices.service';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';

@ApiTags('api: invoices')
@TenantModule('invoices')
@ApiBadRequestResponse({
  type: ErrorResponseDto,
  description: 'Invalid input; `details` names the fields (lines by path, e.g. lines[2].quantity)',
})
@Controller('api/invoices')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly tenantSettings: CurrentTenantSettings,
  ) {}

  @Post()
  @Idempotent()
  @TenantPermission('invoices.write')
  @ApiOperation({
    summary: 'Create a draft quote or invoice with the next number; the server computes every amount',
    description:
      'Each line’s net (quantity × unit price) and tax (net × rate) are rounded half up to the minor unit; totals are the sums of the rounded lines.',
  })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'accountId or a line’s itemId is not a record of this tenant' })
  async create(@Body() dto: CreateInvoiceDto): Promise<InvoiceDto> {
    const currency = dto.currency ?? (await this.tenantSettings.currency());
    return this.invoices.create(dto, currency);
  }

  @Get()
  @TenantPermission('invoices.read')
  @ApiOperation({ summary: 'List quotes and invoices: kind, status, customer, issue dates, overdue; sort; cursor pagination' })
  @ApiOkResponse({ type: InvoicePageDto })
  list(@Query() query: ListInvoicesQueryDto): Promise<InvoicePageDto> {
    return this.invoices.list(query);
  }

  @Get(':id')
  @TenantPermission('invoices.read')
  @ApiOperation({ summary: 'Get a quote or invoice with its lines, payments and balance due' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<InvoiceDto> {
    return this.invoices.get(id);
  }

  @Patch(':id')
  @TenantPermission('invoices.write')
  @ApiOperation({ summary: 'Change a draft (lines are replaced as a whole; amounts recomputed)' })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Not a draft any more' })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateInvoiceDto): Promise<InvoiceDto> {
    return this.invoices.update(id, dto);
  }

  @Post(':id/status')
  @HttpCode(200)
  @TenantPermission('invoices.write')
  @ApiOperation({
    summary: 'Move to another status; sending an invoice sells its stock items in the same transaction, voiding a sent one returns them',
  })
  @ApiOkResponse({ type: InvoiceDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The move is not allowed (the message names the allowed ones), or not enough stock to send',
  })
  changeStatus(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ChangeStatusDto): Promise<InvoiceDto> {
    return this.invoices.changeStatus(id, dto.status);
  }

  @Post(':id/convert')
  @Idempotent()
  @TenantPermission('invoices.write')
  @ApiOperation({ summary: 'Convert a quote into a draft invoice with the same lines' })
  @ApiCreatedResponse({ type: InvoiceDto, description: 'The new invoice' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Not a quote, or already converted or declined' })
  convert(@Param('id', ParseUUIDPipe) id: string): Promise<InvoiceDto> {
    return this.invoices.convert(id);
  }

  @Post(':id/payments')
  @Idempotent()
  @TenantPermission('invoices.write')
  @ApiOperation({ summary: 'Record a payment on a sent invoice (partial or full; the last one marks it paid)' })
  @ApiCreatedResponse({ type: InvoiceDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'More than the balance due, or the invoice is not sent' })
  addPayment(@Param('id', ParseUUIDPipe) id: string, @Body() dto: CreatePaymentDto): Promise<InvoiceDto> {
    return this.invoices.addPayment(id, dto);
  }
}
