import { connectionLimitProblems, ServerConnections } from './connection-limits';

describe('connectionLimitProblems', () => {
  const server = (usable: number): ServerConnections => ({
    server: 'control-plane server db:5432',
    usable,
    maxConnections: usable + 3,
    perProcess: [
      { what: 'control-plane pool', connections: 10 },
      { what: 'tenant connection budget', connections: 60 },
    ],
  });

  it('accepts processes whose connections together fit in what the server leaves after reserved slots', () => {
    expect(connectionLimitProblems([server(140)], 2)).toEqual([]);
  });

  it('names the server, the sum and its parts when the processes together exceed it', () => {
    const [problem, ...rest] = connectionLimitProblems([server(97)], 2);
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^control-plane server db:5432: 2 process\(es\) × 70 connections \(control-plane pool 10 \+ tenant connection budget 60\) = 140, more than the 97/,
    );
    expect(problem).toMatch(/max_connections \(100\)/);
  });
});

describe('connectionLimitProblems with a declared server budget', () => {
  const tenantServer = (usable: number): ServerConnections => ({
    server: 'tenant server "pg-1"',
    usable,
    maxConnections: usable + 3,
    perProcess: [],
    shared: [{ what: 'tenant connections (connection budget 100 split across 4 process(es))', connections: 100 }],
  });

  it('counts a split budget once, not once per process', () => {
    expect(connectionLimitProblems([tenantServer(100)], 4)).toEqual([]);
  });

  it('says so when the split budget exceeds what the server leaves', () => {
    expect(connectionLimitProblems([tenantServer(97)], 4)).toEqual([
      expect.stringMatching(
        /^tenant server "pg-1": tenant connections \(connection budget 100 split across 4 process\(es\)\) 100 = 100, more than the 97 .*max_connections \(100\)/,
      ),
    ]);
  });
});
