/** What a record's `customFields` holds, for the Swagger of every entity that has them. */
export const CUSTOM_FIELDS_ANSWER =
  "Values of the tenant's custom fields by key. For a tenant whose records live in its own database: the extra columns its mapping declares (`customFields`), typed by the column — text, numbers for integers, exact text for decimals, booleans, YYYY-MM-DD dates, ISO 8601 timestamps, null when empty";
