import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { sortOptions } from '../../../../libs/tenancy/records/sort-order';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsCurrencyCode, IsDateOnly, IsDisplayText, IsQueryFlag } from '../../../platform/validation/text';
import { InvoiceLine } from '../entities/invoice-line.entity';
import { InvoicePayment } from '../entities/invoice-payment.entity';
import { Invoice } from '../entities/invoice.entity';
import { normalizeDecimal } from '../invoice-math';
import { displayNumber, DOCUMENT_KINDS, DocumentKind, INVOICE_STATUSES, InvoiceStatus } from '../invoice-status';
import { PatchType } from '../../../platform/validation/patch-type';

/** Decimals are accepted as JSON strings or numbers and handled as text, never as floats. */
const AsDecimalText = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value));

export class InvoiceLineInputDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A stock item: description and unit price default to the item’s; sending the invoice sells the quantity',
  })
  @IsOptional()
  @IsUUID()
  itemId?: string;

  @ApiPropertyOptional({ example: 'Consulting, March', maxLength: 500, description: 'Required for a free-text line' })
  @IsOptional()
  @IsDisplayText(500)
  description?: string;

  @ApiProperty({ example: '1.5', description: 'Decimal with up to 3 places (string or number); whole units for stock items' })
  @AsDecimalText()
  @IsString({ message: 'quantity must be a decimal number' })
  @Matches(/^(?!0+(\.0+)?$)\d{1,9}(\.\d{1,3})?$/, { message: 'quantity must be a positive decimal with at most 3 decimal places' })
  quantity: string;

  @ApiPropertyOptional({ type: 'integer', example: 9_500, description: 'Minor units; required for a free-text line' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  unitPriceMinor?: number;

  @ApiProperty({ example: '19', description: 'Percent with up to 2 decimal places, 0–100 (string or number)' })
  @AsDecimalText()
  @IsString({ message: 'taxRate must be a decimal number' })
  @Matches(/^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$/, {
    message: 'taxRate must be a percentage from 0 to 100 with at most 2 decimal places',
  })
  taxRate: string;
}

export class CreateInvoiceDto {
  @ApiPropertyOptional({ enum: DOCUMENT_KINDS, default: 'invoice' })
  @IsOptional()
  @IsIn(DOCUMENT_KINDS)
  kind?: DocumentKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'The customer: an account of this tenant' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217; default: the tenant’s currency setting' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-03-01', description: 'Default: today (UTC)' })
  @IsOptional()
  @IsDateOnly()
  issueDate?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-03-31' })
  @IsOptional()
  @IsDateOnly()
  dueDate?: string;

  @ApiPropertyOptional({ example: 'Thank you for your business.', maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string;

  @ApiProperty({ type: [InvoiceLineInputDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineInputDto)
  lines: InvoiceLineInputDto[];
}

/** Only drafts change; the kind never does. */
export class UpdateInvoiceDto extends PatchType(
  PickType(CreateInvoiceDto, ['accountId', 'currency', 'issueDate', 'dueDate', 'notes', 'lines'] as const),
) {}

export class ChangeStatusDto {
  @ApiProperty({
    enum: INVOICE_STATUSES,
    example: 'sent',
    description: 'Allowed moves: invoice draft→sent|void, sent→void (no payments yet); quote draft→sent|declined, sent→accepted|declined',
  })
  @IsIn(INVOICE_STATUSES)
  status: InvoiceStatus;
}

export const INVOICE_SORT_PROPERTIES = ['createdAt', 'number'] as const;

export class ListInvoicesQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: DOCUMENT_KINDS })
  @IsOptional()
  @IsIn(DOCUMENT_KINDS)
  kind?: DocumentKind;

  @ApiPropertyOptional({ enum: INVOICE_STATUSES })
  @IsOptional()
  @IsIn(INVOICE_STATUSES)
  status?: InvoiceStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Issued on or after (e.g. `2027-01-01`)' })
  @IsOptional()
  @IsDateOnly()
  issuedFrom?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Issued on or before (e.g. `2027-12-31`)' })
  @IsOptional()
  @IsDateOnly()
  issuedTo?: string;

  @ApiPropertyOptional({ description: 'Sent invoices past their due date with a balance left' })
  @IsOptional()
  @IsQueryFlag()
  overdue?: boolean;

  @ApiPropertyOptional({
    enum: sortOptions(INVOICE_SORT_PROPERTIES),
    default: 'createdAt',
    description: 'Numbers run per kind, so sorting by number lists one kind (`kind`, default invoice)',
  })
  @IsOptional()
  @IsIn(sortOptions(INVOICE_SORT_PROPERTIES))
  sort: string = 'createdAt';
}

export class InvoiceLineDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  itemId: string | null;

  @ApiProperty({ example: 'Consulting, March' })
  description: string;

  @ApiProperty({ example: '1.5' })
  quantity: string;

  @ApiProperty({ type: 'integer', example: 9_500 })
  unitPriceMinor: number;

  @ApiProperty({ example: '19' })
  taxRate: string;

  @ApiProperty({ type: 'integer', example: 14_250, description: 'quantity × unit price, rounded half up to the minor unit' })
  netMinor: number;

  @ApiProperty({ type: 'integer', example: 2_708, description: 'net × tax rate, rounded half up to the minor unit' })
  taxMinor: number;

  static from(line: InvoiceLine): InvoiceLineDto {
    const { itemId, description, quantity, unitPriceMinor, taxRate, netMinor, taxMinor } = line;
    return {
      itemId,
      description,
      quantity: normalizeDecimal(quantity),
      unitPriceMinor,
      taxRate: normalizeDecimal(taxRate),
      netMinor,
      taxMinor,
    };
  }
}

export class InvoicePaymentDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'integer', example: 10_000 })
  amountMinor: number;

  @ApiProperty({ format: 'date', example: '2027-03-15' })
  paidOn: string;

  @ApiProperty({ example: 'bank_transfer' })
  method: string;

  @ApiProperty({ nullable: true, type: String, example: 'SEPA 2027-03-15 #4411' })
  reference: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  createdBy: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  static from(payment: InvoicePayment): InvoicePaymentDto {
    const { id, amountMinor, paidOn, method, reference, createdBy, createdAt } = payment;
    return { id, amountMinor, paidOn, method, reference, createdBy, createdAt };
  }
}

export class InvoiceDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: DOCUMENT_KINDS })
  kind: DocumentKind;

  @ApiProperty({ type: 'integer', example: 42, description: 'Per tenant and kind, from 1, without gaps' })
  number: number;

  @ApiProperty({ example: 'INV-000042' })
  displayNumber: string;

  @ApiProperty({ enum: INVOICE_STATUSES })
  status: InvoiceStatus;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  accountId: string | null;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ format: 'date', example: '2027-03-01' })
  issueDate: string;

  @ApiProperty({ format: 'date', example: '2027-03-31', nullable: true, type: String })
  dueDate: string | null;

  @ApiProperty({ example: '' })
  notes: string;

  @ApiProperty({ type: [InvoiceLineDto] })
  lines: InvoiceLineDto[];

  @ApiProperty({ type: 'integer', example: 14_250 })
  subtotalMinor: number;

  @ApiProperty({ type: 'integer', example: 2_708 })
  taxMinor: number;

  @ApiProperty({ type: 'integer', example: 16_958 })
  totalMinor: number;

  @ApiProperty({ type: 'integer', example: 10_000 })
  paidMinor: number;

  @ApiProperty({ type: 'integer', example: 6_958, description: 'total − paid' })
  balanceDueMinor: number;

  @ApiProperty({ type: [InvoicePaymentDto] })
  payments: InvoicePaymentDto[];

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The quote this invoice was made from' })
  quoteId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The invoice made from this quote' })
  convertedInvoiceId: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  sentAt: Date | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  static from(invoice: Invoice, lines: InvoiceLine[], payments: InvoicePayment[] = []): InvoiceDto {
    const {
      id,
      kind,
      number,
      status,
      accountId,
      currency,
      issueDate,
      dueDate,
      notes,
      subtotalMinor,
      taxMinor,
      totalMinor,
      paidMinor,
      quoteId,
      convertedInvoiceId,
      sentAt,
      createdAt,
      updatedAt,
    } = invoice;
    return {
      id,
      kind,
      number,
      displayNumber: displayNumber(kind, number),
      status,
      accountId,
      currency,
      issueDate,
      dueDate,
      notes,
      lines: [...lines].sort((a, b) => a.position - b.position).map(InvoiceLineDto.from),
      subtotalMinor,
      taxMinor,
      totalMinor,
      paidMinor,
      balanceDueMinor: totalMinor - paidMinor,
      payments: payments.map(InvoicePaymentDto.from),
      quoteId,
      convertedInvoiceId,
      sentAt,
      createdAt,
      updatedAt,
    };
  }
}

export class InvoicePageDto extends PageDtoOf(InvoiceDto, 'Lines are included; payments only on GET /api/invoices/:id') {}
