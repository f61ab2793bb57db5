import { Injectable, NestMiddleware } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { IncomingMessage, ServerResponse } from 'node:http';
import { CLS_ID, ClsService } from 'nestjs-cls';
import { AppConfig } from '../config/app-config';
import { RequestContextStore } from './request-context';
import { clientIpOf, requestIdOf } from './request-id';

/** Runs the rest of the request inside its own context, which starts with the request's id and the client's address. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly trustProxy: boolean;

  constructor(
    private readonly cls: ClsService<RequestContextStore>,
    config: ConfigService<AppConfig, true>,
  ) {
    this.trustProxy = config.get('http.trustProxy', { infer: true });
  }

  use(req: IncomingMessage, _res: ServerResponse, next: () => void): void {
    this.cls.run(() => {
      this.cls.set(CLS_ID, requestIdOf(req));
      this.cls.set('clientIp', clientIpOf(req, this.trustProxy));
      next();
    });
  }
}
