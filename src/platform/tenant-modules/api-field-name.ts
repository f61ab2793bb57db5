/**
 * A mapping's field names are snake_case; the API's are camelCase (low_stock_threshold → lowStockThreshold).
 * In a path such as `customFields.tax_id` only the first part is ours: the key is the tenant's, kept as written.
 */
export function apiFieldName(field: string): string {
  const [ours, ...keys] = field.split('.');
  return [ours.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), ...keys].join('.');
}
