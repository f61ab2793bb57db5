import { IncomingMessage } from 'node:http';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from '@fastify/helmet';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { MigrationClass } from '../libs/tenancy/tenant-schema-migrator';
import { refuseHostileInput } from './platform/hostile-input/hostile-input';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { requestIdOf } from './platform/request-context/request-id';
import { AppConfig } from './platform/config/app-config';
import { NestStartupLinesAtDebug } from './platform/logging/nest-startup-lines.logger';
import { AppMetrics } from './platform/metrics/app-metrics';
import { observeHttpRequests } from './platform/metrics/http-metrics';
import { serveAdminConsole } from './platform/admin-console/admin-console';
import { nameRequestSpansByRoute } from './platform/tracing/request-span';

/**
 * Builds the application (not yet listening) on Fastify: main.ts, the end-to-end tests and the
 * benchmarks all start Tenantry through here, so they exercise the same stack.
 */
export async function createApp(
  config: AppConfig,
  extraModules: Type[] = [],
  tenantMigrations?: MigrationClass[],
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    // One request id for Fastify, pino, the audit trail and the x-request-id header.
    genReqId: (req: IncomingMessage) => requestIdOf(req),
    requestIdHeader: false,
    logger: false,
  });
  // JSON only: Fastify's own JSON parser (bodyLimit, prototype-poisoning checks); other media types get 415.
  adapter.getInstance().removeContentTypeParser('text/plain');
  // NUL anywhere and over-deep JSON are refused for every route, before guards and handlers.
  refuseHostileInput(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, extraModules, tenantMigrations), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(new NestStartupLinesAtDebug(app.get(Logger)));
  if (config.metrics.enabled) observeHttpRequests(app.getHttpAdapter().getInstance(), app.get(AppMetrics));
  if (config.tracing) nameRequestSpansByRoute(app.getHttpAdapter().getInstance());
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
  await app.register(helmet, { contentSecurityPolicy: { directives: SWAGGER_UI_CSP } });
  if (config.http.corsOrigins.length > 0) app.enableCors(corsOptions(config.http.corsOrigins));
  if (config.http.swaggerUi) setUpSwagger(app);
  await serveAdminConsole(app.getHttpAdapter().getInstance(), config.http.adminConsoleDir);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * Security headers on every answer (@fastify/helmet). The content security policy is helmet's,
 * loosened only as far as Swagger UI's page needs (its inline styles and scripts); JSON answers
 * carry it too, where it costs nothing.
 */
const SWAGGER_UI_CSP = {
  defaultSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
  scriptSrc: ["'self'", "'unsafe-inline'"],
};

/** Only the configured browser origins may call the API; the headers a client sends and reads are listed. */
function corsOptions(origins: string[]) {
  return {
    origin: origins,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-request-id', 'x-tenant-id'],
    exposedHeaders: ['x-request-id', 'retry-after', 'location', 'idempotent-replayed'],
    maxAge: 600,
  };
}

/** Swagger UI at /docs and the document at /docs-json; a token entered once survives reloads of the page. */
function setUpSwagger(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
