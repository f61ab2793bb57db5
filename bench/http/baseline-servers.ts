import { CanActivate, Controller, ExecutionContext, Get, Injectable, Module, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import express from 'express';
import Fastify from 'fastify';
import { createSecretKey } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from '../../src/identity/access-token';

/**
 * The same authenticated GET (verify an HS256 bearer token, answer a small JSON document) on a
 * bare Fastify, a bare Express, and a minimal Nest app on each adapter: what the frameworks
 * themselves cost, measured beside Tenantry.
 */
export type BaselineKind = 'bare-fastify' | 'bare-express' | 'nest-fastify' | 'nest-express';

export const RESPONSE = {
  id: '7d2c0d8e-8f43-4d7b-9d7e-7a8c1b5a8f00',
  slug: 'acme',
  name: 'Acme Corporation',
  status: 'active',
  plan: 'starter',
};

/** Verifies with a KeyObject, as Tenantry's JwtStrategy does, so every target pays the same for it. */
function verifier(secret: string) {
  const jwt = new JwtService();
  const key = createSecretKey(Buffer.from(secret)) as unknown as string;
  return (authorization: string | undefined): boolean => {
    try {
      jwt.verify((authorization ?? '').replace(/^Bearer /, ''), {
        secret: key,
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      });
      return true;
    } catch {
      return false;
    }
  };
}

export async function startBaseline(kind: BaselineKind, secret: string): Promise<string> {
  const verify = verifier(secret);
  switch (kind) {
    case 'bare-fastify': {
      const app = Fastify();
      app.get('/resource', async (request, reply) =>
        verify(request.headers.authorization) ? RESPONSE : reply.code(401).send({ statusCode: 401 }),
      );
      return app.listen({ host: '127.0.0.1', port: 0 });
    }
    case 'bare-express': {
      const app = express();
      app.get('/resource', (request, response) => {
        if (!verify(request.headers.authorization)) return void response.status(401).json({ statusCode: 401 });
        response.json(RESPONSE);
      });
      return new Promise((resolve) => {
        const server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      });
    }
    case 'nest-fastify':
    case 'nest-express': {
      @Injectable()
      class BearerGuard implements CanActivate {
        canActivate(context: ExecutionContext): boolean {
          if (!verify(context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers.authorization))
            throw new UnauthorizedException();
          return true;
        }
      }
      @Controller('resource')
      @UseGuards(BearerGuard)
      class ResourceController {
        @Get()
        get() {
          return RESPONSE;
        }
      }
      @Module({ controllers: [ResourceController], providers: [BearerGuard] })
      class MinimalModule {}
      const adapter = kind === 'nest-fastify' ? new FastifyAdapter() : new ExpressAdapter();
      const app = await NestFactory.create(MinimalModule, adapter, { logger: false });
      await app.listen(0, '127.0.0.1');
      return (await app.getUrl()).replace('[::1]', '127.0.0.1');
    }
  }
}
