import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TENANT_PLATFORM_EVENT_TYPES } from '../../control-plane/domain-events/platform-events';
import { TenantPermission } from '../../platform/access/access.decorators';
import { CRM_EVENT_CATALOG, CRM_EVENT_EXTRA_SCHEMAS } from './crm-event-catalog';
import { EventTypeDto } from './dto/event-type.dto';

// The tenant's data's events, and its members' (`user.*`, raised by the platform): what its webhook endpoints receive.
const CATALOG = [...CRM_EVENT_CATALOG.values(), ...TENANT_PLATFORM_EVENT_TYPES].map(EventTypeDto.from);
const RECORD_SCHEMAS = [...new Set([...CRM_EVENT_CATALOG.values()].flatMap((declaration) => declaration.record ?? []))];

/** The catalog of the domain events a tenant's webhook endpoints receive: its data's, and its members'. */
@ApiTags('api: domain events')
@ApiExtraModels(...RECORD_SCHEMAS, ...CRM_EVENT_EXTRA_SCHEMAS)
@Controller('api/domain-events')
export class EventCatalogController {
  @Get('catalog')
  @TenantPermission('tenant.read')
  @ApiOperation({
    summary: 'Every domain event type with its version and the fields of its data',
    description:
      'An event is `{ id, tenantId, type, version, occurredAt, data }`; `id` is stable across redeliveries (de-duplicate on it). ' +
      '`data.record` is the record as the API returns it (its schema is named by `recordSchema`); updates add `data.changes`.',
  })
  @ApiOkResponse({ type: [EventTypeDto] })
  catalog(): EventTypeDto[] {
    return CATALOG;
  }
}
