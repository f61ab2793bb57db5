import { BadRequestException, NotFoundException } from '@nestjs/common';
import { In, IsNull } from 'typeorm';
import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { InventoryItem } from '../inventory/entities/inventory-item.entity';
import { InvoiceLineInputDto } from './dto/invoice.dto';
import { InvoiceLine } from './entities/invoice-line.entity';
import { AmountTooLargeError, lineAmounts, totals, Totals } from './invoice-math';

export type PricedLine = Omit<InvoiceLine, 'tenantId' | 'invoiceId'>;

/**
 * Turns the lines a user sent into priced lines: a stock item's line takes its name and price
 * unless given, must be in whole units and in the invoice's currency; a free-text line needs a
 * description and a price. Every problem is reported at once, named by its path (lines[2].quantity).
 */
export async function priceLines(
  tx: TenantEntityManager,
  input: InvoiceLineInputDto[],
  currency: string,
): Promise<{ lines: PricedLine[]; totals: Totals }> {
  const itemIds = [...new Set(input.flatMap((line) => (line.itemId ? [line.itemId] : [])))];
  const items = new Map(
    (itemIds.length ? await tx.repository(InventoryItem).find({ where: { id: In(itemIds), deletedAt: IsNull() } }) : []).map((item) => [
      item.id,
      item,
    ]),
  );
  const unknown = input.flatMap((line, index) =>
    line.itemId && !items.has(line.itemId) ? [{ field: `lines[${index}].itemId`, problems: ['unknown item'] }] : [],
  );
  if (unknown.length) throw new NotFoundException({ message: 'Unknown inventory item', details: unknown });

  const problems: Array<{ field: string; problems: string[] }> = [];
  const lines = input.map((line, index): PricedLine => {
    const item = line.itemId ? items.get(line.itemId) : undefined;
    const field = (name: string) => `lines[${index}].${name}`;
    if (item && item.currency !== currency)
      problems.push({ field: field('itemId'), problems: [`the item is priced in ${item.currency}, the invoice in ${currency}`] });
    if (item && !/^\d+(\.0+)?$/.test(line.quantity))
      problems.push({ field: field('quantity'), problems: ['stock items are sold in whole units'] });
    if (!item && !line.description) problems.push({ field: field('description'), problems: ['required for a line without itemId'] });
    if (!item && line.unitPriceMinor === undefined)
      problems.push({ field: field('unitPriceMinor'), problems: ['required for a line without itemId'] });
    const unitPriceMinor = line.unitPriceMinor ?? item?.priceSellingMinor ?? 0;
    return {
      position: index,
      itemId: item?.id ?? null,
      description: line.description ?? item?.name ?? '',
      quantity: line.quantity,
      unitPriceMinor,
      taxRate: line.taxRate,
      netMinor: 0,
      taxMinor: 0,
    };
  });
  if (problems.length) throw new BadRequestException({ message: 'Invalid invoice lines', details: problems });
  try {
    for (const line of lines) Object.assign(line, lineAmounts(line));
    return { lines, totals: totals(lines) };
  } catch (error) {
    if (error instanceof AmountTooLargeError)
      throw new BadRequestException({ message: error.message, details: [{ field: 'lines', problems: [error.message] }] });
    throw error;
  }
}
