import { Type } from '@nestjs/common';
import { PartialType } from '@nestjs/swagger';

/**
 * The body of a PATCH: every field optional, but a field sent as null is still validated, so a
 * change can clear an optional field (its own @IsOptional lets null through) and never blank a
 * required one (400 instead of a NOT NULL violation).
 */
export function PatchType<T>(classRef: Type<T>): Type<Partial<T>> {
  return PartialType(classRef, { skipNullProperties: false });
}
