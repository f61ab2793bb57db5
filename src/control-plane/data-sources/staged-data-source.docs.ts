import { ApiOperationOptions, ApiResponseOptions } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';

/** Swagger texts shared by the platform admin's and the tenant admin's staged-source routes, which do the same. */

export const STAGE: ApiOperationOptions = {
  summary: 'Stage new data-source settings beside the active ones, which keep serving',
  description:
    'Stored encrypted, answered without any secret; new staged settings must be tested again. Needs a data source to replace (404 otherwise).',
};

export const GET_STAGED: ApiOperationOptions = {
  summary: 'The staged settings (no secrets), their last test, mappings and what the switch still needs (`missing`)',
};

export const TEST_STAGED: ApiOperationOptions = {
  summary: 'Connect to the staged source and introspect it, exactly like the data source test',
  description:
    'Same network guard and timeouts as POST …/data-source/test. With no staged mappings yet, the current mappings are staged when they fit what the test found (never for REST, whose test finds no tables).',
};

export const MAP_STAGED: ApiOperationOptions = {
  summary: 'Map our entities onto the tables and columns the staged test found',
  description:
    'The same checks as PUT …/data-source/mappings (a REST source’s resources are sampled); nothing stored unless every mapping fits.',
};

export const DISCARD_STAGED: ApiOperationOptions = { summary: 'Discard the staged settings; the data source is unchanged' };

export const SWITCH: ApiOperationOptions = {
  summary: 'Make the staged settings, introspection and mappings the active data source, in one step',
  description:
    'One control-plane transaction: the data source is active throughout, before on the old settings, after on the staged ones; the staged row is gone.',
};

export const SOURCE_UNREACHABLE: ApiResponseOptions = {
  type: ErrorResponseDto,
  description: 'The staged source cannot be reached or read; the message names the problem (never a secret)',
};

export const MAPPINGS_NOT_FITTING: ApiResponseOptions = { type: ErrorResponseDto, description: '`details` names each problem' };

export const SWITCH_REFUSED: ApiResponseOptions = {
  type: ErrorResponseDto,
  description:
    'Not tested, no mappings, or mappings that do not fit the staged source: the message lists what is missing, `details` the mapping problems',
  example: {
    statusCode: 409,
    error: 'Conflict',
    message:
      'The staged data source cannot be switched to yet: it needs a successful test of the staged settings (POST …/data-source/staged/test)',
  },
};
