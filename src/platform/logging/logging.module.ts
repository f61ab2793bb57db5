import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { RequestContext } from '../request-context/request-context';
import { requestIdOf } from '../request-context/request-id';

/** Structured JSON logs (pino); each request's lines carry its id, and its user and tenant once known. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService, RequestContext],
      useFactory: (config: ConfigService<AppConfig, true>, context: RequestContext) => ({
        assignResponse: true,
        pinoHttp: {
          level: config.get('logLevel', { infer: true }),
          // Read from the request context as each line is written, rather than building a child
          // logger per request once the user and tenant are known.
          mixin: () => context.logFields(),
          genReqId: (req: IncomingMessage) => requestIdOf(req),
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
          redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.refreshToken'], censor: '[redacted]' },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
