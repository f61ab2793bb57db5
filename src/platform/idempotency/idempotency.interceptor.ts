import {
  CallHandler,
  ConflictException,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  NestInterceptor,
  UnprocessableEntityException,
} from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, from, lastValueFrom, Observable } from 'rxjs';
import { isConnectionLoss, TenantConnectionLostError } from '../../../libs/tenancy/connection-errors';
import { HttpErrorFilter } from '../errors/http-error.filter';
import { RequestContext } from '../request-context/request-context';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey, requestFingerprint } from './idempotency-key';
import { IdempotencyClaim, IdempotencyService, StoredAnswer } from './idempotency.service';
import { IDEMPOTENT_OPTIONS, IdempotentOptions } from './idempotent-options';

/** The response headers a replay repeats: what names the created resource (request ids are per request). */
const REPLAYED_HEADERS = ['location', 'content-location'];

export interface IdempotentRequest extends FastifyRequest {
  idempotencyClaim?: IdempotencyClaim;
}

/**
 * Idempotency-Key on the routes that opt in with @Idempotent(): the first request with a key runs
 * and its answer is stored; the same key and request again gets that answer back (with
 * `Idempotent-Replayed: true`) without running; another request under the key is a 422, and one
 * while the first still runs a 409. Keys are per caller: an API key, else a user (with the
 * request's tenant), else the client's IP, so nobody replays someone else's answer.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);
  /** Tells which answer an error becomes, as the client will see it. */
  private readonly errors = new HttpErrorFilter();

  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
    private readonly context: RequestContext,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<IdempotentRequest>();
    const header = request.headers[IDEMPOTENCY_KEY_HEADER];
    if (header === undefined) return next.handle();
    const key = parseIdempotencyKey(header);
    const options = this.reflector.get<IdempotentOptions>(IDEMPOTENT_OPTIONS, context.getHandler()) ?? {};
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);
    return from(this.run(request, context.switchToHttp().getResponse<FastifyReply>(), next, { key, status, options }));
  }

  private async run(
    request: IdempotentRequest,
    reply: FastifyReply,
    next: CallHandler,
    route: { key: string; status: number; options: IdempotentOptions },
  ) {
    const outcome = await this.idempotency.claim({
      scope: this.scope(),
      key: route.key,
      fingerprint: requestFingerprint(request.method, request.url, request.body),
      status: route.status,
      completesInTransaction: route.options.completesInTransaction === true,
    });
    if (outcome.kind === 'mismatch') throw mismatch(route.key);
    if (outcome.kind === 'in_flight') throw inFlight(route.key);
    if (outcome.kind === 'replay') return replay(reply, outcome.answer);

    const claim = outcome.claim;
    request.idempotencyClaim = claim;
    const body: unknown = await lastValueFrom(
      next.handle().pipe(
        catchError(async (error: unknown) => {
          if (changedNothing(error, this.errors.toBody(error).statusCode)) {
            await this.idempotency.release(claim).catch((failure) => this.logger.warn(`releasing an idempotency key failed: ${failure}`));
          }
          throw error;
        }),
      ),
      { defaultValue: undefined },
    );
    const headers = Object.fromEntries(
      REPLAYED_HEADERS.flatMap((name) => (reply.hasHeader(name) ? [[name, String(reply.getHeader(name))]] : [])),
    );
    // The work is done: if storing its answer fails, the client still gets it; a retry then gets 409, never a second run.
    await this.idempotency
      .complete(claim, { status: route.status, headers, body })
      .catch((error) => this.logger.warn(`storing an idempotent answer failed: ${error}`));
    return body;
  }

  private scope(): string {
    const actor = this.context.actor;
    // The tenant whose data an /api request reaches; /control and /auth keys are the user's alone.
    const tenant = this.context.tenantId ?? '-';
    if (actor?.apiKey) return `api-key:${actor.apiKey.id}`;
    if (actor) return `user:${actor.userId}:tenant:${tenant}`;
    return `ip:${this.context.clientIp ?? 'unknown'}`;
  }
}

/**
 * A 4xx, or a 503 (refused before, or rolled back), is a certain answer that changed nothing: the
 * key is freed for a corrected retry. A lost connection whose write may have been applied (COMMIT
 * sent, its outcome unknown) answers 503 too but keeps the claim, as anything else (a 500) does, so
 * a retry gets 409 rather than doing the work twice.
 */
function changedNothing(error: unknown, status: number): boolean {
  if (error instanceof TenantConnectionLostError) return error.outcome === 'not-applied';
  if (!(error instanceof HttpException) && isConnectionLoss(error)) return false;
  return (status >= 400 && status < 500) || status === (HttpStatus.SERVICE_UNAVAILABLE as number);
}

function replay(reply: FastifyReply, answer: StoredAnswer): unknown {
  for (const [name, value] of Object.entries(answer.headers)) reply.header(name, value);
  reply.header('idempotent-replayed', 'true');
  reply.status(answer.status);
  return answer.body;
}

function mismatch(key: string): UnprocessableEntityException {
  return new UnprocessableEntityException({
    message: `Idempotency-Key "${key}" was already used for another request (method, path or body); use a new key for a new request`,
    details: [{ field: `headers.${IDEMPOTENCY_KEY_HEADER}`, problems: ['already used for another request'] }],
  });
}

function inFlight(key: string): ConflictException {
  return new ConflictException({
    message: `A request with Idempotency-Key "${key}" is still in progress (or its outcome is not yet known); retry later with the same key`,
    details: [{ field: `headers.${IDEMPOTENCY_KEY_HEADER}`, problems: ['a request with this key is in progress'] }],
  });
}
