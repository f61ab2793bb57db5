import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { QueryRunnerAlreadyReleasedError } from 'typeorm/error/QueryRunnerAlreadyReleasedError';
import { QueryRunnerProviderAlreadyReleasedError } from 'typeorm/error/QueryRunnerProviderAlreadyReleasedError';
import { classifyDatabaseFailure } from './connection-errors';

const pgError = (code: string, severity = 'FATAL') =>
  Object.assign(new DatabaseError('terminating connection due to administrator command', 0, 'error'), { code, severity });
const viaTypeorm = (error: Error) => new QueryFailedError('SELECT 1', [], error);
const socketError = (code: string) => Object.assign(new Error(`read ${code}`), { code });

describe('classifyDatabaseFailure', () => {
  it.each(['57P01', '57P02', '57P03', '57P05', '08000', '08003', '08006', '08001', '08P01', '53300'])(
    'calls SQLSTATE %s a lost connection, raw from pg or wrapped by TypeORM',
    (code) => {
      expect(classifyDatabaseFailure(pgError(code))).toBe('connection-lost');
      expect(classifyDatabaseFailure(viaTypeorm(pgError(code)))).toBe('connection-lost');
    },
  );

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'])('calls the socket error %s a lost connection', (code) => {
    expect(classifyDatabaseFailure(socketError(code))).toBe('connection-lost');
    expect(classifyDatabaseFailure(viaTypeorm(socketError(code)))).toBe('connection-lost');
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'Client has encountered a connection error and is not queryable',
    'Client was closed and is not queryable',
    'timeout exceeded when trying to connect',
  ])('calls pg\'s "%s" a lost connection', (message) => {
    expect(classifyDatabaseFailure(new Error(message))).toBe('connection-lost');
    expect(classifyDatabaseFailure(viaTypeorm(new Error(message)))).toBe('connection-lost');
  });

  it("calls TypeORM's query on a runner it released after a connection error a lost connection", () => {
    expect(classifyDatabaseFailure(new QueryRunnerAlreadyReleasedError())).toBe('connection-lost');
    expect(classifyDatabaseFailure(new QueryRunnerProviderAlreadyReleasedError())).toBe('connection-lost');
  });

  it('calls SQLSTATE 55P03 (lock_timeout) a lock timeout, not a lost connection', () => {
    expect(classifyDatabaseFailure(viaTypeorm(pgError('55P03', 'ERROR')))).toBe('lock-timeout');
  });

  it('leaves constraint violations, bad values, cancellations and plain errors alone', () => {
    for (const code of ['23505', '22P02', '57014', '40001', 'XX000'])
      expect(classifyDatabaseFailure(viaTypeorm(pgError(code, 'ERROR')))).toBe('other');
    expect(classifyDatabaseFailure(new Error('Note not found'))).toBe('other');
    expect(classifyDatabaseFailure(undefined)).toBe('other');
    expect(classifyDatabaseFailure('Connection terminated unexpectedly')).toBe('other');
  });

  it('follows an error cause chain', () => {
    expect(classifyDatabaseFailure(new Error('wrapped', { cause: socketError('ECONNRESET') }))).toBe('connection-lost');
  });
});
