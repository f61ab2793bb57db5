import { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { OUTSIDE_TENANT_STORAGE } from '../platform/access/outside-tenant-storage.decorator';
import { ERROR_CONTENT, operationsOf } from './operations';

const MONTHLY_CALLS =
  'the tenant’s plan allows no more API calls this month: `details.quota` is `maxApiCallsPerMonth` (with `limit`, `used` and `month`); ' +
  '`Retry-After` is the time until the first of next month, 00:00 UTC';

const STORAGE =
  'the tenant’s data, as last measured, is at or over its plan’s storage quota: `details.quota` is `storageMb` (with `limit` and `used` in MiB); ' +
  'reads and deletions keep working';

const WRITES = new Set(['post', 'put', 'patch']);

/**
 * Documents the quotas TenantQuotaGuard enforces on /api: the monthly API-call quota's 429 on every
 * route, the storage quota's 409 on every write but the tenant's administration (controllers marked
 * OutsideTenantStorage, found through the app like the guard finds them). After documentRateLimits,
 * whose 429 this extends.
 */
export function documentQuotas(
  app: INestApplication,
  document: OpenAPIObject,
  operationIdOf: (controller: string, method: string) => string,
): void {
  const administration = administrationOperations(app, operationIdOf);
  for (const { path, method, operation } of operationsOf(document)) {
    if (!path.startsWith('/api/')) continue;
    const throttled = operation.responses['429'];
    if (throttled && 'description' in throttled) throttled.description = `${throttled.description.replace(/\.$/, '')}; or ${MONTHLY_CALLS}`;
    if (!WRITES.has(method) || administration.has(operation.operationId ?? '')) continue;
    const conflict = operation.responses['409'];
    operation.responses['409'] =
      conflict && 'description' in conflict
        ? { ...conflict, description: `${conflict.description}; or ${STORAGE}` }
        : { description: `Conflict: ${STORAGE}`, content: ERROR_CONTENT };
  }
}

function administrationOperations(app: INestApplication, operationIdOf: (controller: string, method: string) => string): Set<string> {
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller || Reflect.getMetadata(OUTSIDE_TENANT_STORAGE, controller) !== true) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) ids.add(operationIdOf(controller.name, method));
    }
  }
  return ids;
}
