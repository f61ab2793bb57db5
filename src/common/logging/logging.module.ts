import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IncomingMessage } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { requestIdOf } from '../request-context/request-id';

/** Structured JSON logs (pino); each request's lines carry its id, and its user and tenant once known. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        assignResponse: true,
        pinoHttp: {
          level: config.get('logLevel', { infer: true }),
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
