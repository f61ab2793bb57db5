import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiTags } from '@nestjs/swagger';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { Page } from '../../platform/pagination/cursor-pagination';
import { DeliveryQueryDto, ReplayedDto, ReplayRangeDto, WebhookDeliveryDetailDto, WebhookDeliveryDto } from './dto/webhook-delivery.dto';
import {
  CreatedWebhookEndpointDto,
  CreateWebhookEndpointDto,
  RotatedWebhookSecretDto,
  RotateWebhookSecretDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointDto,
} from './dto/webhook-endpoint.dto';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookOwner } from './webhook-owner';
import { WebhookRoutes } from './webhook-routes';

/** The current tenant's webhook endpoints: they receive the tenant's own events. */
@ApiTags('api: webhooks')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input (a refused URL included); `details` names the fields' })
@Controller('api/webhooks')
export class TenantWebhooksController {
  constructor(
    private readonly endpoints: WebhookEndpointsService,
    private readonly deliveries: WebhookDeliveriesService,
    private readonly context: TenantContext,
  ) {}

  @Post()
  @TenantPermission('webhooks.manage')
  @WebhookRoutes.create()
  create(@Body() dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointDto> {
    return this.endpoints.create(this.owner(), dto);
  }

  @Get()
  @TenantPermission('webhooks.read')
  @WebhookRoutes.list()
  list(): Promise<WebhookEndpointDto[]> {
    return this.endpoints.list(this.owner());
  }

  @Get(':id')
  @TenantPermission('webhooks.read')
  @WebhookRoutes.get()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<WebhookEndpointDto> {
    return this.endpoints.get(this.owner(), id);
  }

  @Patch(':id')
  @TenantPermission('webhooks.manage')
  @WebhookRoutes.update()
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointDto> {
    return this.endpoints.update(this.owner(), id, dto);
  }

  @Delete(':id')
  @TenantPermission('webhooks.manage')
  @WebhookRoutes.remove()
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.endpoints.remove(this.owner(), id);
  }

  @Post(':id/rotate-secret')
  @TenantPermission('webhooks.manage')
  @WebhookRoutes.rotate()
  rotate(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RotateWebhookSecretDto): Promise<RotatedWebhookSecretDto> {
    return this.endpoints.rotateSecret(this.owner(), id, dto.overlapHours);
  }

  @Post(':id/test')
  @TenantPermission('webhooks.manage')
  @WebhookRoutes.test()
  test(@Param('id', ParseUUIDPipe) id: string): Promise<WebhookDeliveryDto> {
    return this.deliveries.testSend(this.owner(), id);
  }

  @Get(':id/deliveries')
  @TenantPermission('webhooks.read')
  @WebhookRoutes.deliveries()
  deliveryLog(@Param('id', ParseUUIDPipe) id: string, @Query() query: DeliveryQueryDto): Promise<Page<WebhookDeliveryDto>> {
    return this.deliveries.list(this.owner(), id, query);
  }

  @Get(':id/deliveries/:deliveryId')
  @TenantPermission('webhooks.read')
  @WebhookRoutes.delivery()
  delivery(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('deliveryId', ParseUUIDPipe) deliveryId: string,
  ): Promise<WebhookDeliveryDetailDto> {
    return this.deliveries.get(this.owner(), id, deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/replay')
  @TenantPermission('webhooks.manage')
  @WebhookRoutes.replay()
  replay(@Param('id', ParseUUIDPipe) id: string, @Param('deliveryId', ParseUUIDPipe) deliveryId: string): Promise<WebhookDeliveryDto> {
    return this.deliveries.replay(this.owner(), id, deliveryId);
  }

  @Post(':id/replay')
  @TenantPermission('webhooks.manage')
  @WebhookRoutes.replayRange()
  async replayRange(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ReplayRangeDto): Promise<ReplayedDto> {
    return { replayed: await this.deliveries.replayRange(this.owner(), id, new Date(dto.since), new Date(dto.until)) };
  }

  private owner(): WebhookOwner {
    return { tenantId: this.context.require().id };
  }
}
