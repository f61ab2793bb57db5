import { UnprocessableEntityException } from '@nestjs/common';
import { EntityMapping, Introspection, MappingProblem, validateMappings } from '../../../libs/byod';
import { entitiesWithCustomFields, mappableEntities } from '../../platform/tenant-modules/mappable-entities';

/** What keeps `mappings` from serving our mappable entities out of the source `introspection` describes (empty: they fit). */
export function mappingProblems(introspection: Introspection, mappings: Record<string, EntityMapping>): MappingProblem[] {
  return validateMappings(mappableEntities(), introspection, mappings, entitiesWithCustomFields());
}

/** A 422 naming each problem unless `mappings` fit `introspection`: nothing is stored before this passes. */
export function assertMappingsFit(introspection: Introspection, mappings: Record<string, EntityMapping>): void {
  const problems = mappingProblems(introspection, mappings);
  if (problems.length > 0) {
    throw new UnprocessableEntityException({
      message: `The mappings do not fit the source: ${describeProblems(problems)}`,
      details: problems,
    });
  }
}

export function describeProblems(problems: MappingProblem[]): string {
  return problems.map((p) => `${p.field} ${p.problems.join('; ')}`).join('; ');
}
