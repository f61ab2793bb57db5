import { INestApplication, ParseUUIDPipe, PipeTransform, Type } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { OpenAPIObject } from '@nestjs/swagger';
import { TenantRecordIdPipe } from '../control-plane/tenant-binding/tenant-record-id.pipe';
import { operationsOf } from './operations';

const TENANT_RECORD_ID =
  'A UUID; for a byod tenant whose records live in its own database or API, the key there (printable text, up to 100 characters)';

interface RouteParameter {
  data?: string;
  pipes?: (Type<PipeTransform> | PipeTransform)[];
}

/**
 * Route parameters say what they accept from the pipe that checks them, so the document cannot
 * drift from the validation: a ParseUUIDPipe parameter is `format: uuid`; a TenantRecordIdPipe
 * one is a UUID except for byod tenants, whose keys are theirs (no format, a description).
 * `operationIdOf` must be the factory the document was built with: it maps handlers to operations.
 */
export function documentPathParameterFormats(
  app: INestApplication,
  document: OpenAPIObject,
  operationIdOf: (controller: string, method: string) => string,
): void {
  const checks = new Map<string, Map<string, 'uuid' | 'tenant-record-id'>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) as Record<string, RouteParameter> | undefined) ?? {};
        const byName = new Map<string, 'uuid' | 'tenant-record-id'>();
        for (const [key, parameter] of Object.entries(args)) {
          if (key.split(':')[0] !== String(RouteParamtypes.PARAM) || !parameter.data) continue;
          const pipes = (parameter.pipes ?? []).map((pipe) => (typeof pipe === 'function' ? pipe : pipe.constructor));
          if (pipes.includes(ParseUUIDPipe)) byName.set(parameter.data, 'uuid');
          else if (pipes.includes(TenantRecordIdPipe)) byName.set(parameter.data, 'tenant-record-id');
        }
        if (byName.size > 0) checks.set(operationIdOf(controller.name, method), byName);
      }
    }
  }
  for (const { operation } of operationsOf(document)) {
    const byName = operation.operationId ? checks.get(operation.operationId) : undefined;
    for (const parameter of operation.parameters ?? []) {
      if (!byName || !('in' in parameter) || parameter.in !== 'path') continue;
      const check = byName.get(parameter.name);
      if (check === 'uuid') parameter.schema = { type: 'string', format: 'uuid' };
      if (check === 'tenant-record-id') parameter.description ??= TENANT_RECORD_ID;
    }
  }
}
