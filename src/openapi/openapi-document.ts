import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentHostileInputRefusals, HOSTILE_INPUT_RULE } from '../platform/hostile-input/hostile-input.openapi';
import { documentIdempotencyAnswers } from '../platform/idempotency/idempotency.openapi';
import { documentTenantBindingAnswers } from '../control-plane/tenant-binding/tenant-binding.openapi';
import { documentTenantUnavailable } from '../control-plane/tenant-binding/tenant-unavailable.openapi';
import { documentByodAnswers } from '../crm/mapped-sources/byod-answers.openapi';
import { documentMappableFields } from '../control-plane/data-sources/mappable-fields.openapi';
import { documentRateLimits } from './rate-limits.openapi';
import { documentQuotas } from './quotas.openapi';
import { API_TAGS } from './api-tags';
import { describeBareResponses } from './bare-responses.openapi';
import { documentBodyRefusals } from './body-refusals.openapi';
import { documentControlPlaneUnavailable } from './control-plane-unavailable.openapi';
import { documentPathParameterFormats } from './path-parameters.openapi';
import { markPublicOperations } from './public-operations.openapi';

/**
 * The OpenAPI document of every route of `app`: what /docs-json serves and what
 * `npm run openapi:write` writes to openapi/openapi.json for the typed client.
 * Answers every route shares (hostile input, bodies, unavailability) are added here, once.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Tenantry')
    .setDescription(
      'Multi-tenant SaaS backend. Control plane under /control (platform admins; super admins for their tenants), ' +
        'auth under /auth, tenant data under /api (tenant from the access token or API key). ' +
        'Every error is `{ statusCode, error, message, details? }`. ' +
        HOSTILE_INPUT_RULE,
    )
    .setVersion('0.1.0')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT or API key',
      description:
        'An access token from POST /auth/login, or an API key: a tenant key (`tnt_live_…`, from POST /api/api-keys) on /api routes, ' +
        'a platform key (`tnp_live_…`, from POST /control/api-keys) on /control routes. Keys never reach /auth routes.',
    });
  for (const tag of API_TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory });
  markPublicOperations(document);
  describeBareResponses(document);
  documentPathParameterFormats(app, document, operationIdFactory);
  documentHostileInputRefusals(document);
  documentBodyRefusals(document);
  documentTenantBindingAnswers(document);
  documentTenantUnavailable(document);
  documentControlPlaneUnavailable(document);
  documentIdempotencyAnswers(document);
  documentRateLimits(document);
  documentQuotas(app, document, operationIdFactory);
  documentByodAnswers(document);
  documentMappableFields(document);
  return document;
}

/** `accounts_update`, `tenantApiKeys_create`: unique (controller and method), and readable in generated clients. */
function operationIdFactory(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  return `${controller[0].toLowerCase()}${controller.slice(1)}_${methodKey}`;
}
