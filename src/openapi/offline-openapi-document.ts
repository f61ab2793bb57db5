import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../app.module';
import { buildAppConfig } from '../platform/config/app-config';
import { validateEnvironment } from '../platform/config/environment';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The OpenAPI document of the application without running it: Nest's preview mode scans modules
 * and controllers but instantiates no provider, so nothing connects to a database, mails or
 * listens. The configuration is the development default with throw-away secrets (never the
 * caller's environment), so the document is the same on every machine.
 */
export async function createOfflineOpenApiDocument(): Promise<OpenAPIObject> {
  const vars = validateEnvironment({ NODE_ENV: 'development' });
  const throwAway = { jwtSecret: randomBytes(48).toString('base64url'), secretsKeys: `offline:${randomBytes(32).toString('base64')}` };
  const config = buildAppConfig(vars, 'postgres://offline.invalid/none', throwAway);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
