import { BadRequestException, Injectable } from '@nestjs/common';
import { CrmEvents } from '../domain-events/crm-events';
import { assertLinkedRecord, findOrFail } from '../../../libs/tenancy/records/record-lookups';
import { softDelete } from '../../../libs/tenancy/records/soft-delete';
import { parseSort } from '../../../libs/tenancy/records/sort-order';
import { TenantConnectionProvider, TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { ownerReference, TenantMembers } from '../../control-plane/tenant-binding/tenant-members';
import { Account } from '../accounts/entities/account.entity';
import { escapeLike } from '../../platform/column-values/escape-like';
import { applySortedKeyset, Page, toSortedPage } from '../../platform/pagination/cursor-pagination';
import { RequestContext } from '../../platform/request-context/request-context';
import { Contact } from '../contacts/entities/contact.entity';
import { validateCustomFields } from '../custom-fields/custom-field-validation';
import { CustomFieldsService } from '../custom-fields/custom-fields.service';
import { changedFields, TenantAuditService } from '../tenant-audit/tenant-audit.service';
import { CreateDealDto, DEAL_SORT_PROPERTIES, DealDto, DealLineItemDto, ListDealsQueryDto, UpdateDealDto } from './dto/deal.dto';
import { DealLineItem } from './entities/deal-line-item.entity';
import { DealStageChange } from './entities/deal-stage-change.entity';
import { Deal } from './entities/deal.entity';
import { restoreDeleted } from '../tenant-audit/restore-deleted';
import { DealsStore } from './deals-store';

const ENTITY = 'deal';

/** Deals of the current tenant: line items, amounts in minor units, and every stage change recorded with who and when. */
@Injectable()
export class DealsService implements DealsStore {
  constructor(
    private readonly tenantData: TenantConnectionProvider,
    private readonly members: TenantMembers,
    private readonly context: RequestContext,
    private readonly customFields: CustomFieldsService,
    private readonly audit: TenantAuditService,
    private readonly events: CrmEvents,
  ) {}

  async create(dto: CreateDealDto, defaultCurrency: string): Promise<DealDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      await this.assertLinks(tx, dto);
      const customFields = validateCustomFields(await this.customFields.definitions(tx, ENTITY), dto.customFields, {});
      const { lineItems = [], ...fields } = dto;
      const deals = tx.repository(Deal);
      const deal = await deals.save(
        deals.create({
          ...fields,
          stage: dto.stage ?? 'lead',
          currency: dto.currency ?? defaultCurrency,
          amountMinor: amountOf(dto, lineItems),
          customFields,
        }),
      );
      const items = await this.replaceLineItems(tx, deal.id, lineItems);
      await this.recordStage(tx, deal.id, null, deal.stage);
      await this.audit.record(tx, {
        entity: ENTITY,
        entityId: deal.id,
        action: 'create',
        changes: { ...dto, amountMinor: deal.amountMinor, currency: deal.currency },
      });
      const record = DealDto.from(deal, items);
      await this.events.recordChanged(tx, ENTITY, 'created', record);
      return record;
    });
  }

  list(query: ListDealsQueryDto): Promise<Page<DealDto>> {
    return this.tenantData.read(async (tx) => {
      const builder = tx.repository(Deal).createQueryBuilder('deal').where('deal.deletedAt IS NULL');
      if (query.search) builder.andWhere("deal.name ILIKE :pattern ESCAPE '\\'", { pattern: `%${escapeLike(query.search)}%` });
      if (query.stage) builder.andWhere('deal.stage = :stage', { stage: query.stage });
      if (query.accountId) builder.andWhere('deal.accountId = :accountId', { accountId: query.accountId });
      if (query.ownerUserId) builder.andWhere('deal.ownerUserId = :owner', { owner: query.ownerUserId });
      if (query.minAmount !== undefined) builder.andWhere('deal.amountMinor >= :min', { min: query.minAmount });
      if (query.maxAmount !== undefined) builder.andWhere('deal.amountMinor <= :max', { max: query.maxAmount });
      if (query.closingBy) builder.andWhere('deal.expectedCloseDate <= :closingBy', { closingBy: query.closingBy });
      const order = parseSort(query.sort, DEAL_SORT_PROPERTIES);
      const rows = await applySortedKeyset(builder, order, query).getMany();
      const items = rows.length ? await tx.repository(DealLineItem).find({ where: rows.map((row) => ({ dealId: row.id })) }) : [];
      return toSortedPage(
        rows,
        query.limit,
        (row) => row[order.property],
        (row) =>
          DealDto.from(
            row,
            items.filter((item) => item.dealId === row.id),
          ),
      );
    });
  }

  get(id: string): Promise<DealDto> {
    return this.tenantData.read(async (tx) => {
      const deal = await findDeal(tx, id);
      const [items, history] = await Promise.all([
        tx.repository(DealLineItem).find({ where: { dealId: id } }),
        tx.repository(DealStageChange).find({ where: { dealId: id }, order: { changedAt: 'ASC' } }),
      ]);
      return DealDto.from(deal, items, history);
    });
  }

  async update(id: string, dto: UpdateDealDto): Promise<DealDto> {
    await this.members.assertMembers(ownerReference(dto));
    return this.tenantData.transaction(async (tx) => {
      const deal = await findDeal(tx, id, true);
      await this.assertLinks(tx, dto);
      const { lineItems, customFields: customValues, ...fields } = dto;
      const customFields = validateCustomFields(await this.customFields.definitions(tx, ENTITY), customValues, deal.customFields);
      const amountMinor = lineItems ? amountOf(dto, lineItems) : (dto.amountMinor ?? deal.amountMinor);
      const changes = changedFields(deal, { ...fields, customFields, amountMinor });
      const stored = await tx.repository(DealLineItem).find({ where: { dealId: id }, order: { position: 'ASC' } });
      // Line items sent as they are change nothing (and raise nothing).
      const replacing = lineItems !== undefined && !sameLineItems(stored, lineItems);
      const items = replacing ? await this.replaceLineItems(tx, id, lineItems) : stored;
      if (replacing) changes.lineItems = { from: 'replaced', to: lineItems };
      if (Object.keys(changes).length === 0) return DealDto.from(deal, items);
      const previousStage = deal.stage;
      const saved = await tx.repository(Deal).save(Object.assign(deal, fields, { customFields, amountMinor }));
      if (saved.stage !== previousStage) await this.recordStage(tx, id, previousStage, saved.stage);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'update', changes });
      const record = DealDto.from(saved, items);
      await this.events.recordChanged(tx, ENTITY, 'updated', record, changes);
      if (saved.stage !== previousStage)
        await this.events.raise(tx, 'deal.stage_changed', { record, from: previousStage, to: saved.stage });
      return record;
    });
  }

  remove(id: string): Promise<void> {
    return this.tenantData.transaction(async (tx) => {
      const deal = await findDeal(tx, id, true);
      await softDelete(tx, Deal, id);
      await this.audit.record(tx, { entity: ENTITY, entityId: id, action: 'delete', changes: { name: deal.name, stage: deal.stage } });
      const items = await tx.repository(DealLineItem).find({ where: { dealId: id } });
      await this.events.recordChanged(tx, ENTITY, 'deleted', DealDto.from(deal, items));
    });
  }

  restore(id: string): Promise<DealDto> {
    return this.tenantData.transaction(async (tx) => {
      const deal = await restoreDeleted(tx, this.audit, Deal, { entity: ENTITY, id });
      const record = DealDto.from(deal, await tx.repository(DealLineItem).find({ where: { dealId: id } }));
      await this.events.recordChanged(tx, ENTITY, 'restored', record);
      return record;
    });
  }

  private async replaceLineItems(tx: TenantEntityManager, dealId: string, lineItems: DealLineItemDto[]): Promise<DealLineItem[]> {
    const repository = tx.repository(DealLineItem);
    await repository.delete({ dealId });
    const items = lineItems.map((item, position) => repository.create({ ...item, position, dealId }));
    return items.length ? repository.save(items) : [];
  }

  private async recordStage(tx: TenantEntityManager, dealId: string, fromStage: string | null, toStage: string): Promise<void> {
    const history = tx.repository(DealStageChange);
    await history.save(history.create({ dealId, fromStage, toStage, changedBy: this.context.actor?.userId ?? null }));
  }

  /** Linked records must be this tenant's (the composite foreign keys would refuse others anyway): 404 naming the field. */
  private async assertLinks(tx: TenantEntityManager, dto: UpdateDealDto): Promise<void> {
    await assertLinkedRecord(tx, Account, dto.accountId, { field: 'accountId', name: 'Account' });
    await assertLinkedRecord(tx, Contact, dto.contactId, { field: 'contactId', name: 'Contact' });
  }
}

const findDeal = (tx: TenantEntityManager, id: string, forUpdate = false) => findOrFail(tx, Deal, id, { name: 'Deal', forUpdate });

/** With line items the amount is their exact sum (integers, no rounding); otherwise the amount sent. */
function amountOf(dto: UpdateDealDto, lineItems: DealLineItemDto[]): number {
  if (lineItems.length === 0) return dto.amountMinor ?? 0;
  const total = lineItems.reduce((sum, item) => sum + BigInt(item.quantity) * BigInt(item.unitPriceMinor), 0n);
  if (total > BigInt(Number.MAX_SAFE_INTEGER))
    throw new BadRequestException({
      message: 'The line items add up to more than the largest amount',
      details: [{ field: 'lineItems', problems: ['total too large'] }],
    });
  if (dto.amountMinor !== undefined && BigInt(dto.amountMinor) !== total) {
    throw new BadRequestException({
      message: `amountMinor must equal the line items’ total (${total}) or be omitted`,
      details: [{ field: 'amountMinor', problems: [`must be ${total}`] }],
    });
  }
  return Number(total);
}

/** Whether `sent` are the deal's line items as they are stored, in their order. */
function sameLineItems(stored: DealLineItem[], sent: DealLineItemDto[]): boolean {
  return (
    stored.length === sent.length &&
    stored.every(
      (item, at) =>
        item.description === sent[at].description &&
        Number(item.quantity) === Number(sent[at].quantity) &&
        Number(item.unitPriceMinor) === Number(sent[at].unitPriceMinor),
    )
  );
}
