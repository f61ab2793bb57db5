import { applyDecorators, HttpCode } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { CreatedWebhookEndpointDto, RotatedWebhookSecretDto, WebhookEndpointDto } from './dto/webhook-endpoint.dto';
import { ReplayedDto, WebhookDeliveryDetailDto, WebhookDeliveryDto, WebhookDeliveryPageDto } from './dto/webhook-delivery.dto';

const NOT_FOUND = () => ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such endpoint (or delivery) of this owner' });
const DISABLED = () =>
  ApiConflictResponse({ type: ErrorResponseDto, description: 'The endpoint is disabled: enable it first (nothing is queued)' });

/** The Swagger documentation of each webhook route, shared by the tenant's and the platform's controllers. */
export const WebhookRoutes = {
  create: () =>
    applyDecorators(
      ApiOperation({
        summary: 'Create a webhook endpoint',
        description:
          'Deliveries follow the Standard Webhooks specification: headers `webhook-id` (the event id, stable across retries and replays), ' +
          '`webhook-timestamp` and `webhook-signature` (HMAC-SHA256 with the secret), body `{ type, timestamp, data }`. The answer holds ' +
          'the secret, this once. Failed deliveries are retried with exponential backoff over hours, then dead-lettered; an endpoint ' +
          'failing for days is disabled.',
      }),
      ApiCreatedResponse({ type: CreatedWebhookEndpointDto }),
      ApiConflictResponse({ type: ErrorResponseDto, description: 'The owner already has 50 endpoints (MAX_ENDPOINTS_PER_OWNER)' }),
    ),
  list: () =>
    applyDecorators(
      ApiOperation({ summary: 'The webhook endpoints, newest first (50 at most, all of them); never a secret' }),
      ApiOkResponse({ type: [WebhookEndpointDto] }),
    ),
  get: () => applyDecorators(ApiOperation({ summary: 'One webhook endpoint' }), ApiOkResponse({ type: WebhookEndpointDto }), NOT_FOUND()),
  update: () =>
    applyDecorators(
      ApiOperation({
        summary: 'Change a webhook endpoint; enabling it again clears its failure record',
        description: 'Disabling it ends its deliveries waiting for a retry (`dead`); replay them once it is enabled again.',
      }),
      ApiOkResponse({ type: WebhookEndpointDto }),
      NOT_FOUND(),
    ),
  remove: () =>
    applyDecorators(
      HttpCode(204),
      ApiOperation({ summary: 'Delete a webhook endpoint, its pending deliveries and its delivery log' }),
      ApiNoContentResponse(),
      NOT_FOUND(),
    ),
  rotate: () =>
    applyDecorators(
      HttpCode(200),
      ApiOperation({
        summary: 'Rotate the signing secret',
        description:
          'The new secret, this once. Until `previousSecretExpiresAt` every delivery carries two signatures (space-separated, as Standard ' +
          'Webhooks allows), one per secret, so a receiver verifies with either while it switches.',
      }),
      ApiOkResponse({ type: RotatedWebhookSecretDto }),
      NOT_FOUND(),
    ),
  test: () =>
    applyDecorators(
      HttpCode(202),
      ApiOperation({ summary: 'Send a `webhook.test` event to the endpoint now (its delivery is logged like any other)' }),
      ApiAcceptedResponse({ type: WebhookDeliveryDto }),
      NOT_FOUND(),
      DISABLED(),
    ),
  deliveries: () =>
    applyDecorators(
      ApiOperation({ summary: 'The endpoint’s deliveries, newest first, by status and event type' }),
      ApiOkResponse({ type: WebhookDeliveryPageDto }),
      NOT_FOUND(),
    ),
  delivery: () =>
    applyDecorators(
      ApiOperation({ summary: 'One delivery, its body and every attempt (status code, duration, response excerpt, error)' }),
      ApiOkResponse({ type: WebhookDeliveryDetailDto }),
      NOT_FOUND(),
    ),
  replay: () =>
    applyDecorators(
      HttpCode(202),
      ApiOperation({ summary: 'Deliver the event of this delivery again (same `webhook-id`), as a new delivery' }),
      ApiAcceptedResponse({ type: WebhookDeliveryDto }),
      NOT_FOUND(),
      DISABLED(),
    ),
  replayRange: () =>
    applyDecorators(
      HttpCode(202),
      ApiOperation({
        summary: 'Deliver again every event recorded in [since, until) that the endpoint’s filters match (same `webhook-id`s)',
      }),
      ApiAcceptedResponse({ type: ReplayedDto }),
      ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: 'More than 10 000 events in the range: replay it in parts' }),
      NOT_FOUND(),
      ApiConflictResponse({
        type: ErrorResponseDto,
        description:
          'The endpoint is disabled (enable it first), or its deliveries still waiting and the range’s would be over 10 000 ' +
          '(replay once they have been made); nothing is queued',
      }),
    ),
};
