import { BadRequestException, CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';

/** Parameters through which a handler reads the body: the body itself, or the whole request (an upload's stream). */
const BODY_READERS = new Set([RouteParamtypes.BODY, RouteParamtypes.RAW_BODY, RouteParamtypes.REQUEST].map(String));

/**
 * A route that takes no body refuses one (400), as a route with a body refuses the fields it does not declare:
 * a client sending `{ "url": … }` to a test-send must learn that nothing of it was used. An empty body (`{}`, none)
 * is no body. Whether a handler reads the body is read once from its parameters. A guard rather than an
 * interceptor: a global interceptor puts every request through Nest's observable pipeline, which costs every write.
 */
@Injectable()
export class BodylessRoutesGuard implements CanActivate {
  private readonly readsBody = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http' || !hasContent(context.switchToHttp().getRequest<{ body?: unknown }>().body)) return true;
    if (this.takesBody(context)) return true;
    throw new BadRequestException({
      message: 'This route takes no request body',
      details: [{ field: 'body', problems: ['must be empty: this route takes no body'] }],
    });
  }

  private takesBody(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let reads = this.readsBody.get(handler);
    if (reads === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) as object | undefined) ?? {};
      reads = Object.keys(args).some((key) => BODY_READERS.has(key.split(':')[0]));
      this.readsBody.set(handler, reads);
    }
    return reads;
  }
}

function hasContent(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body === 'object' && Object.getPrototypeOf(body) === Object.prototype) {
    for (const key in body) if (Object.hasOwn(body, key)) return true;
    return false;
  }
  return true;
}
