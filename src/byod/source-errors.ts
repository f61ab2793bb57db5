import { ConflictException, ServiceUnavailableException } from '@nestjs/common';
import { DataSourceUnreachableError, SourceDataError, UnmappedFieldError, UnsupportedBySourceError } from '../../libs/byod';

/**
 * Runs work against a tenant's own database and says what went wrong in HTTP terms: unreachable
 * or paused → 503 (the tenant's database, not ours), a refused value → 409, a field the mapping
 * does not provide → 409 naming it as the API does (low_stock_threshold → lowStockThreshold).
 */
export async function onTenantSource<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DataSourceUnreachableError) throw new ServiceUnavailableException(error.message);
    if (error instanceof SourceDataError) throw new ConflictException(`The tenant's system refused the request: ${error.message}`);
    if (error instanceof UnsupportedBySourceError) throw new ConflictException(error.message);
    if (error instanceof UnmappedFieldError) {
      const field = error.field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
      throw new ConflictException({ message: `${field} is not mapped to this tenant's data source`, details: [{ field, problems: ['not mapped'] }] });
    }
    throw error;
  }
}
