import { ConflictException, Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { assertLinkedRecord, findOrFail } from '../../../libs/tenancy/records/record-lookups';
import { parseSort } from '../../../libs/tenancy/records/sort-order';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { Account } from '../accounts/entities/account.entity';
import { applySortedKeyset, Page, toSortedPage } from '../../platform/pagination/cursor-pagination';
import { RequestContext } from '../../platform/request-context/request-context';
import { CrmEvents } from '../domain-events/crm-events';
import { StockMovements } from '../inventory/stock-movements';
import { changedFields, TenantAuditService } from '../tenant-audit/tenant-audit.service';
import { CreatePaymentDto } from './dto/create-payment.dto';
import {
  CreateInvoiceDto,
  INVOICE_SORT_PROPERTIES,
  InvoiceDto,
  InvoiceLineInputDto,
  InvoicePaymentDto,
  ListInvoicesQueryDto,
  UpdateInvoiceDto,
} from './dto/invoice.dto';
import { nextDocumentNumber } from './document-numbers';
import { InvoiceLine } from './entities/invoice-line.entity';
import { InvoicePayment } from './entities/invoice-payment.entity';
import { Invoice } from './entities/invoice.entity';
import { PricedLine, priceLines } from './invoice-lines';
import { Totals } from './invoice-math';
import { allowedTransitions, CONVERTIBLE_QUOTE_STATUSES, displayNumber, DocumentKind, InvoiceStatus } from './invoice-status';

const ENTITY = 'invoice';

interface DocumentFields {
  kind: DocumentKind;
  currency: string;
  accountId?: string | null;
  issueDate?: string;
  dueDate?: string | null;
  notes?: string;
  quoteId?: string | null;
}

/**
 * Quotes and invoices of the current tenant: server-computed totals, gapless numbers, allowed
 * status moves only, payments up to the total, and the stock sold by an invoice moved in the
 * same transaction that sends it. Documents are never deleted; an invoice is voided instead.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly stock: StockMovements,
    private readonly audit: TenantAuditService,
    private readonly events: CrmEvents,
    private readonly context: RequestContext,
  ) {}

  create(dto: CreateInvoiceDto, currency: string): Promise<InvoiceDto> {
    return this.tenantData.transaction(async (tx) => {
      await assertLinkedRecord(tx, Account, dto.accountId, { field: 'accountId', name: 'Account' });
      const priced = await priceLines(tx, dto.lines, currency);
      const { invoice, lines } = await this.insertDocument(tx, { ...dto, kind: dto.kind ?? 'invoice', currency }, priced);
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: invoice.id,
        action: 'create',
        changes: { ...dto, number: invoice.number, currency, totalMinor: invoice.totalMinor },
      });
      const record = InvoiceDto.from(invoice, lines);
      await this.events.recordChanged(tx, ENTITY, 'created', record);
      return record;
    });
  }

  list(query: ListInvoicesQueryDto): Promise<Page<InvoiceDto>> {
    return this.tenantData.read(async (tx) => {
      const builder = tx.repository(Invoice).createQueryBuilder('invoice');
      if (query.kind) builder.andWhere('invoice.kind = :kind', { kind: query.kind });
      if (query.status) builder.andWhere('invoice.status = :status', { status: query.status });
      if (query.accountId) builder.andWhere('invoice.accountId = :accountId', { accountId: query.accountId });
      if (query.issuedFrom) builder.andWhere('invoice.issueDate >= :issuedFrom', { issuedFrom: query.issuedFrom });
      if (query.issuedTo) builder.andWhere('invoice.issueDate <= :issuedTo', { issuedTo: query.issuedTo });
      if (query.overdue !== undefined) {
        builder.andWhere(
          `(invoice.status = 'sent' AND invoice.dueDate < CURRENT_DATE AND invoice.paidMinor < invoice.totalMinor) = :overdue`,
          { overdue: query.overdue },
        );
      }
      const order = parseSort(query.sort, INVOICE_SORT_PROPERTIES);
      if (order.property === 'number') builder.andWhere('invoice.kind = :sortKind', { sortKind: query.kind ?? 'invoice' });
      const rows = await applySortedKeyset(builder, order, query).getMany();
      const lines = rows.length ? await tx.repository(InvoiceLine).find({ where: { invoiceId: In(rows.map((row) => row.id)) } }) : [];
      return toSortedPage(
        rows,
        query.limit,
        (row) => (order.property === 'number' ? String(row.number) : row.createdAt),
        (row) =>
          InvoiceDto.from(
            row,
            lines.filter((line) => line.invoiceId === row.id),
          ),
      );
    });
  }

  get(id: string): Promise<InvoiceDto> {
    return this.tenantData.read(async (tx) => this.load(tx, await findInvoice(tx, id)));
  }

  update(id: string, dto: UpdateInvoiceDto): Promise<InvoiceDto> {
    return this.tenantData.transaction(async (tx) => {
      const invoice = await findInvoice(tx, id, true);
      if (invoice.status !== 'draft')
        throw new ConflictException(`Only drafts can be changed; ${displayNumber(invoice.kind, invoice.number)} is ${invoice.status}`);
      await assertLinkedRecord(tx, Account, dto.accountId, { field: 'accountId', name: 'Account' });
      const { lines: lineInput, ...fields } = dto;
      const changes = changedFields(invoice, fields);
      if (lineInput || dto.currency) {
        const currency = dto.currency ?? invoice.currency;
        const priced = await priceLines(tx, lineInput ?? (await this.currentLines(tx, id)), currency);
        await tx.repository(InvoiceLine).delete({ invoiceId: id });
        await this.saveLines(tx, id, priced.lines);
        Object.assign(fields, priced.totals);
        if (lineInput) changes.lines = { from: 'replaced', to: lineInput };
        if (priced.totals.totalMinor !== invoice.totalMinor)
          changes.totalMinor = { from: invoice.totalMinor, to: priced.totals.totalMinor };
      }
      if (Object.keys(changes).length === 0) return this.load(tx, invoice);
      const saved = await tx.repository(Invoice).save(Object.assign(invoice, fields));
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = await this.load(tx, saved);
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      return record;
    });
  }

  /** Moves a document to `status` if its kind and current status allow it; 409 names the allowed moves. */
  changeStatus(id: string, status: InvoiceStatus): Promise<InvoiceDto> {
    return this.tenantData.transaction(async (tx) => {
      const invoice = await findInvoice(tx, id, true);
      const label = displayNumber(invoice.kind, invoice.number);
      const allowed = allowedTransitions(invoice.kind, invoice.status);
      if (!allowed.includes(status)) {
        const options = allowed.length ? `allowed: ${allowed.join(', ')}` : 'no further status changes are allowed';
        throw new ConflictException({
          message: `${label} cannot move from ${invoice.status} to ${status}; ${options}`,
          details: [{ field: 'status', problems: [options] }],
        });
      }
      if (invoice.kind === 'invoice' && status === 'void' && invoice.paidMinor > 0) {
        throw new ConflictException(`${label} has payments and cannot be voided`);
      }
      const sells = invoice.kind === 'invoice' && status === 'sent';
      const returns = invoice.kind === 'invoice' && invoice.status === 'sent' && status === 'void';
      const lines = sells || returns ? await tx.repository(InvoiceLine).find({ where: { invoiceId: id } }) : undefined;
      if (lines && sells) await this.moveStock(tx, lines, 'sell', `Invoice ${label}`, label);
      if (lines && returns) await this.moveStock(tx, lines, 'receive', `Invoice ${label} voided`, label);
      const previous = invoice.status;
      invoice.status = status;
      if (status === 'sent') invoice.sentAt = new Date();
      const saved = await tx.repository(Invoice).save(invoice);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes: { status: { from: previous, to: status } } });
      const record = await this.load(tx, saved, lines);
      await this.events.raise(tx, 'invoice.status_changed', { record, from: previous, to: status });
      if (sells) await this.events.raise(tx, 'invoice.issued', { record });
      return record;
    });
  }

  /** A quote becomes a draft invoice with the same lines; the quote is then `converted`. */
  convert(id: string): Promise<InvoiceDto> {
    return this.tenantData.transaction(async (tx) => {
      const quote = await findInvoice(tx, id, true);
      const label = displayNumber(quote.kind, quote.number);
      if (quote.kind !== 'quote') throw new ConflictException(`${label} is an invoice; only quotes are converted`);
      if (!CONVERTIBLE_QUOTE_STATUSES.includes(quote.status)) {
        throw new ConflictException(
          `${label} is ${quote.status}; only quotes that are ${CONVERTIBLE_QUOTE_STATUSES.join(', ')} can be converted`,
        );
      }
      const lines = await tx.repository(InvoiceLine).find({ where: { invoiceId: id } });
      const previous = quote.status;
      const priced = {
        lines: lines.map(({ tenantId, invoiceId, ...line }) => line),
        totals: { subtotalMinor: quote.subtotalMinor, taxMinor: quote.taxMinor, totalMinor: quote.totalMinor },
      };
      const { accountId, currency, notes } = quote;
      const created = await this.insertDocument(tx, { kind: 'invoice', accountId, currency, notes, quoteId: quote.id }, priced);
      await tx.repository(Invoice).update({ id }, { status: 'converted', convertedInvoiceId: created.invoice.id });
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: id,
        action: 'update',
        changes: { status: { from: previous, to: 'converted' }, convertedInvoiceId: created.invoice.id },
      });
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: created.invoice.id,
        action: 'create',
        changes: { quoteId: id, number: created.invoice.number },
      });
      const convertedQuote = Object.assign(quote, { status: 'converted' as const, convertedInvoiceId: created.invoice.id });
      await this.events.raise(tx, 'invoice.status_changed', {
        record: await this.load(tx, convertedQuote, lines),
        from: previous,
        to: 'converted',
      });
      const record = InvoiceDto.from(created.invoice, created.lines);
      await this.events.recordChanged(tx, ENTITY, 'created', record);
      return record;
    });
  }

  /**
   * Records a payment on a sent invoice. One conditional UPDATE adds it to the paid amount only
   * while it fits the balance, so concurrent payments can never overpay; the last one marks it paid.
   */
  addPayment(id: string, dto: CreatePaymentDto): Promise<InvoiceDto> {
    return this.tenantData.transaction(async (tx) => {
      const [rows] = await tx.manager.query<[unknown[], number]>(
        `UPDATE invoices SET paid_minor = paid_minor + $2, status = CASE WHEN paid_minor + $2 = total_minor THEN 'paid' ELSE status END, updated_at = now()
          WHERE id = $1 AND kind = 'invoice' AND status = 'sent' AND paid_minor + $2 <= total_minor
          RETURNING id`,
        [id, dto.amountMinor],
      );
      if (!rows.length) await this.explainRefusedPayment(tx, id, dto.amountMinor);
      const payments = tx.repository(InvoicePayment);
      const payment = await payments.save(
        payments.create({
          invoiceId: id,
          amountMinor: dto.amountMinor,
          paidOn: dto.paidOn ?? today(),
          method: dto.method,
          reference: dto.reference ?? null,
          createdBy: this.context.actor?.userId ?? null,
        }),
      );
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: id,
        action: 'update',
        changes: { payment: { id: payment.id, amountMinor: dto.amountMinor, method: dto.method } },
      });
      const record = await this.load(tx, await findInvoice(tx, id));
      await this.events.raise(tx, 'payment.recorded', { record, payment: InvoicePaymentDto.from(payment) });
      if (record.status === 'paid') {
        await this.events.raise(tx, 'invoice.status_changed', { record, from: 'sent', to: 'paid' });
        await this.events.raise(tx, 'invoice.paid', { record });
      }
      return record;
    });
  }

  private async explainRefusedPayment(tx: TenantEntityManager, id: string, amountMinor: number): Promise<never> {
    const invoice = await findInvoice(tx, id);
    const label = displayNumber(invoice.kind, invoice.number);
    if (invoice.kind === 'quote') throw new ConflictException(`${label} is a quote; quotes take no payments`);
    if (invoice.status !== 'sent') throw new ConflictException(`${label} is ${invoice.status}; only sent invoices take payments`);
    const balance = invoice.totalMinor - invoice.paidMinor;
    throw new ConflictException({
      message: `A payment of ${amountMinor} exceeds the balance due of ${balance} on ${label}`,
      details: [{ field: 'amountMinor', problems: [`at most ${balance}`] }],
    });
  }

  private async insertDocument(tx: TenantEntityManager, fields: DocumentFields, priced: { lines: PricedLine[]; totals: Totals }) {
    const invoices = tx.repository(Invoice);
    const number = await nextDocumentNumber(tx, fields.kind);
    const invoice = await invoices.save(
      invoices.create({
        kind: fields.kind,
        number,
        status: 'draft',
        accountId: fields.accountId ?? null,
        currency: fields.currency,
        issueDate: fields.issueDate ?? today(),
        dueDate: fields.dueDate ?? null,
        notes: fields.notes ?? '',
        paidMinor: 0,
        quoteId: fields.quoteId ?? null,
        convertedInvoiceId: null,
        sentAt: null,
        ...priced.totals,
      }),
    );
    return { invoice, lines: await this.saveLines(tx, invoice.id, priced.lines) };
  }

  private saveLines(tx: TenantEntityManager, invoiceId: string, lines: PricedLine[]): Promise<InvoiceLine[]> {
    const repository = tx.repository(InvoiceLine);
    return repository.save(lines.map((line) => repository.create({ ...line, invoiceId })));
  }

  private async currentLines(tx: TenantEntityManager, invoiceId: string): Promise<InvoiceLineInputDto[]> {
    const lines = await tx.repository(InvoiceLine).find({ where: { invoiceId }, order: { position: 'ASC' } });
    return lines.map(({ itemId, description, quantity, unitPriceMinor, taxRate }) => ({
      itemId: itemId ?? undefined,
      description,
      quantity,
      unitPriceMinor,
      taxRate,
    }));
  }

  private async moveStock(
    tx: TenantEntityManager,
    lines: InvoiceLine[],
    kind: 'sell' | 'receive',
    reason: string,
    reference: string,
  ): Promise<void> {
    for (const line of lines) {
      if (line.itemId) await this.stock.apply(tx, line.itemId, { kind, quantity: Number(line.quantity), reason, reference });
    }
  }

  /** The document with its lines (unless the caller already holds them) and payments. */
  private async load(tx: TenantEntityManager, invoice: Invoice, lines?: InvoiceLine[]): Promise<InvoiceDto> {
    const [currentLines, payments] = await Promise.all([
      lines ?? tx.repository(InvoiceLine).find({ where: { invoiceId: invoice.id } }),
      tx.repository(InvoicePayment).find({ where: { invoiceId: invoice.id }, order: { createdAt: 'ASC' } }),
    ]);
    return InvoiceDto.from(invoice, currentLines, payments);
  }
}

const findInvoice = (tx: TenantEntityManager, id: string, forUpdate = false) => findOrFail(tx, Invoice, id, { name: 'Invoice', forUpdate });

function today(): string {
  return new Date().toISOString().slice(0, 10);
}
