import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IncomingMessage } from 'node:http';
import { ClsModule } from 'nestjs-cls';
import { AppConfig } from '../../config/app-config';
import { RequestContext } from './request-context';
import { clientIpOf, requestIdOf } from './request-id';

@Global()
@Module({
  imports: [
    ClsModule.forRootAsync({
      global: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        middleware: {
          mount: true,
          generateId: true,
          idGenerator: (req: IncomingMessage) => requestIdOf(req),
          setup: (cls, req: IncomingMessage) => cls.set('clientIp', clientIpOf(req, config.get('http.trustProxy', { infer: true }))),
        },
      }),
    }),
  ],
  providers: [RequestContext],
  exports: [RequestContext],
})
export class RequestContextModule {}
