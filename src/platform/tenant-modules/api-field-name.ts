/** A mapping's field names are snake_case; the API's are camelCase (low_stock_threshold → lowStockThreshold). */
export function apiFieldName(field: string): string {
  return field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
