import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import {
  DataSourceUnreachableError,
  RuleViolationError,
  SourceDataError,
  SourceRefusedValueError,
  UnmappedFieldError,
  UnsupportedBySourceError,
} from '../../../libs/byod';
import { TenantConnectionLostError } from '../../../libs/tenancy/connection-errors';
import { ConnectionBudgetExhaustedError, DataSourceRegistryClosedError } from '../../../libs/tenancy/data-source-registry';
import { NoTenantInContextError } from '../../../libs/tenancy/tenant-context';
import { TenantDatabaseMissingError, TenantDataElsewhereError } from '../../../libs/tenancy/tenant-placement';
import { TenantReferenceConflictError } from '../../../libs/tenancy/tenant-reference';
import { HttpErrorFilter } from './http-error.filter';

describe('HttpErrorFilter and database errors', () => {
  const filter = new HttpErrorFilter();
  const secretQuery = 'SELECT * FROM secret_table WHERE password = $1';
  const typeorm = (code: string) =>
    new QueryFailedError(secretQuery, ['hunter2'], Object.assign(new Error('invalid input syntax for type uuid: "hunter2"'), { code }));
  const raw = (code: string) => Object.assign(new DatabaseError('invalid byte sequence for encoding "UTF8": 0x00', 0, 'error'), { code });

  it.each(['22021', '22P02', '22001', '22003', '22007', '22008'])(
    'answers SQLSTATE %s (a value PostgreSQL cannot take) with 400, TypeORM or raw pg',
    (code) => {
      for (const error of [typeorm(code), raw(code)]) {
        const body = filter.toBody(error);
        expect(body.statusCode).toBe(400);
        expect(body.error).toBe('Bad Request');
      }
    },
  );

  it('never echoes the SQL, the parameters or the driver message', () => {
    for (const error of [typeorm('22P02'), raw('22021'), typeorm('XX000')]) {
      const text = JSON.stringify(filter.toBody(error));
      expect(text).not.toMatch(/secret_table|hunter2|UTF8|uuid/);
    }
  });

  it('keeps constraint violations as 409 and anything unknown as a bare 500', () => {
    expect(filter.toBody(typeorm('23505')).statusCode).toBe(409);
    expect(filter.toBody(raw('23503')).statusCode).toBe(409);
    expect(filter.toBody(raw('XX000'))).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' });
  });
});

describe('HttpErrorFilter and lost connections', () => {
  const filter = new HttpErrorFilter();
  const terminated = () =>
    new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
  const headersOf = (exception: unknown) => {
    const headers: Record<string, string> = {};
    let status = 0;
    const reply = {
      status: (code: number) => ((status = code), reply),
      header: (name: string, value: string) => ((headers[name] = value), reply),
      send: () => undefined,
    };
    filter.catch(exception, { switchToHttp: () => ({ getResponse: () => reply }) } as never);
    return { status, headers };
  };

  it('answers a lost connection, a dead socket or a lock timeout with 503 and Retry-After, never 500', () => {
    const lockTimeout = new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }),
    );
    for (const error of [terminated(), new Error('Connection terminated unexpectedly'), lockTimeout]) {
      expect(headersOf(error)).toEqual({ status: 503, headers: { 'retry-after': '1' } });
    }
  });

  it('tells a write whose outcome is unknown to check before repeating it', () => {
    const error = new TenantConnectionLostError('… whether it was applied could not be learnt: check before repeating it', 'unknown');
    expect(filter.toBody(error)).toMatchObject({ statusCode: 503, message: expect.stringMatching(/check before repeating/) });
    expect(headersOf(error).headers['retry-after']).toBe('1');
  });
});

describe('HttpErrorFilter and library errors', () => {
  const filter = new HttpErrorFilter();
  const answerTo = (exception: unknown) => {
    const headers: Record<string, string> = {};
    let status = 0;
    let body: unknown;
    const reply = {
      status: (code: number) => ((status = code), reply),
      header: (name: string, value: string) => ((headers[name] = value), reply),
      send: (sent: unknown) => void (body = sent),
    };
    filter.catch(exception, { switchToHttp: () => ({ getResponse: () => reply }) } as never);
    return { status, headers, body };
  };

  it('answers the tenancy library’s errors with their status and message, Retry-After only where waiting helps', () => {
    expect(answerTo(new TenantReferenceConflictError('a', 'b'))).toEqual({
      status: 403,
      headers: {},
      body: { statusCode: 403, error: 'Forbidden', message: 'The token is for tenant a but x-tenant-id names b' },
    });
    expect(answerTo(new TenantDataElsewhereError())).toMatchObject({
      status: 409,
      headers: {},
      body: { message: expect.stringMatching(/its own system/) },
    });
    expect(answerTo(new TenantDatabaseMissingError('acme'))).toMatchObject({
      status: 503,
      headers: {},
      body: { message: 'Tenant "acme" has no database yet' },
    });
    expect(answerTo(new ConnectionBudgetExhaustedError('tenant:x', 10))).toEqual({
      status: 503,
      headers: { 'retry-after': '1' },
      body: { statusCode: 503, error: 'Service Unavailable', message: 'The service is at its tenant connection limit; retry shortly' },
    });
    expect(answerTo(new DataSourceRegistryClosedError())).toMatchObject({
      status: 503,
      headers: {},
      body: { message: 'The service is shutting down; retry on another instance' },
    });
  });

  it('answers a byod source’s errors: unreachable 503, refused 409/422 naming API fields, the tenant’s rules 400 naming API fields', () => {
    expect(answerTo(new DataSourceUnreachableError("The tenant's database did not answer: timeout"))).toEqual({
      status: 503,
      headers: {},
      body: { statusCode: 503, error: 'Service Unavailable', message: "The tenant's database did not answer: timeout" },
    });
    expect(answerTo(new SourceDataError('duplicate key')).body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: "The tenant's system refused the request: duplicate key",
    });
    expect(
      answerTo(new SourceRefusedValueError('invalid', "Data too long for column 'label'", 'label', 'low_stock_threshold')).body,
    ).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: "The tenant's system refused the request: lowStockThreshold is not a value the tenant's system can store",
      details: [{ field: 'lowStockThreshold', problems: ["is not a value the tenant's system can store"] }],
    });
    const duplicate = answerTo(new SourceRefusedValueError('conflict', "Duplicate entry 'secret' for key 'sku'", 'sku', 'sku')).body;
    expect(duplicate).toMatchObject({ statusCode: 409, details: [{ field: 'sku' }] });
    expect(JSON.stringify(duplicate)).not.toContain('secret');
    expect(answerTo(new SourceRefusedValueError('invalid', 'value too long', undefined)).body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: "The tenant's system refused the request: it cannot store a value sent",
    });
    expect(answerTo(new UnsupportedBySourceError('no atomic change')).body).toMatchObject({ statusCode: 409, message: 'no atomic change' });
    expect(answerTo(new RuleViolationError([{ field: 'low_stock_threshold', problems: ['must be at least 0'] }])).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: "Refused by this tenant's rules: lowStockThreshold must be at least 0",
      details: [{ field: 'lowStockThreshold', problems: ['must be at least 0'] }],
    });
    expect(answerTo(new UnmappedFieldError('first_name')).body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: "firstName is not mapped to this tenant's data source",
      details: [{ field: 'firstName', problems: ['not mapped'] }],
    });
  });

  it('keeps an error no table names a bare 500', () => {
    expect(answerTo(new NoTenantInContextError())).toEqual({
      status: 500,
      headers: {},
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
    });
  });
});
