import { ApiOperationOptions, ApiResponseOptions } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';

/** Swagger texts shared by the platform admin's and the tenant admin's suggestion routes, which do the same. */

export const SUGGEST: ApiOperationOptions = {
  summary: 'Propose field mappings from what the last test found; nothing is stored',
  description:
    'Per mappable entity: the best-fitting table (its primary key for the key field), a column for each field by name (words, common synonyms and abbreviations such as qty → stock_on_hand) among those of a type the field accepts and that PUT …/mappings would take, and for fixed-value fields a value map from the column’s ENUM/CHECK values or from at most 20 of its distinct values (read from at most 1000 rows, with the test’s timeouts). Each proposal has a confidence (a percentage) and a reason. `mappings` gathers the complete proposals as a body PUT …/mappings takes as it is; confirm or edit it first.',
};

export const SUGGEST_STAGED: ApiOperationOptions = {
  summary: 'Propose field mappings from what the staged test found; nothing is stored',
  description:
    'The same proposals as GET …/data-source/mapping-suggestions, for the staged source; confirm them with PUT …/staged/mappings.',
};

export const NOT_TESTED: ApiResponseOptions = {
  type: ErrorResponseDto,
  description: 'The tenant is not placed `byod`, or the source was not tested yet (nothing to propose from)',
};

export const SAMPLING_FAILED: ApiResponseOptions = {
  type: ErrorResponseDto,
  description: 'The source could not be read for value samples; the message names the problem (never a secret)',
};
