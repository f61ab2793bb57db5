import { BadRequestException, ConflictException, ServiceUnavailableException } from '@nestjs/common';
import { DataSourceUnreachableError, RuleViolationError, SourceDataError, UnmappedFieldError, UnsupportedBySourceError } from '../../../libs/byod';

/**
 * Runs work against a tenant's own database and says what went wrong in HTTP terms: unreachable
 * or paused → 503 (the tenant's database, not ours), a refused value → 409, a field the mapping
 * does not provide → 409 naming it as the API does; a write the tenant's own rules refuse → 400.
 */
export async function onTenantSource<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DataSourceUnreachableError) throw new ServiceUnavailableException(error.message);
    if (error instanceof SourceDataError) throw new ConflictException(`The tenant's system refused the request: ${error.message}`);
    if (error instanceof UnsupportedBySourceError) throw new ConflictException(error.message);
    if (error instanceof RuleViolationError) {
      const details = error.violations.map(({ field, problems }) => ({ field: apiName(field), problems }));
      throw new BadRequestException({ message: `Refused by this tenant's rules: ${details.map((detail) => `${detail.field} ${detail.problems.join(', ')}`).join('; ')}`, details });
    }
    if (error instanceof UnmappedFieldError) {
      const field = apiName(error.field);
      throw new ConflictException({ message: `${field} is not mapped to this tenant's data source`, details: [{ field, problems: ['not mapped'] }] });
    }
    throw error;
  }
}

/** Our mapping's field names are snake_case; the API's are camelCase (low_stock_threshold → lowStockThreshold). */
function apiName(field: string): string {
  return field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
