export const DOCUMENT_KINDS = ['invoice', 'quote'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const INVOICE_STATUSES = ['draft', 'sent', 'paid', 'void', 'accepted', 'declined', 'converted'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * The statuses a user may move a document to, by kind and current status. An invoice becomes
 * `paid` only through payments and a quote `converted` only through conversion, so neither
 * appears here; a sent invoice can be voided only while it has no payments (checked apart).
 */
const TRANSITIONS: Record<DocumentKind, Partial<Record<InvoiceStatus, InvoiceStatus[]>>> = {
  invoice: { draft: ['sent', 'void'], sent: ['void'] },
  quote: { draft: ['sent', 'declined'], sent: ['accepted', 'declined'] },
};

export function allowedTransitions(kind: DocumentKind, from: InvoiceStatus): InvoiceStatus[] {
  return TRANSITIONS[kind][from] ?? [];
}

/** Which quote statuses can still be converted into an invoice. */
export const CONVERTIBLE_QUOTE_STATUSES: readonly InvoiceStatus[] = ['draft', 'sent', 'accepted'];

export function displayNumber(kind: DocumentKind, number: number): string {
  return `${kind === 'invoice' ? 'INV' : 'Q'}-${String(number).padStart(6, '0')}`;
}
