import { mysqlConnectionOptions, pgConnectionOptions } from './sql-connection-options';

/** Customer databases are dialled at the address the network guard passed, never by their name again. */
const settings = { host: 'db.customer.example', port: 5432, database: 'crm', user: 'reader', password: 'secret' };

describe('SQL connection options', () => {
  it('dial the checked address, not the host name a second DNS answer could repoint', () => {
    expect(pgConnectionOptions(settings, '203.0.113.7')).toMatchObject({
      host: '203.0.113.7',
      port: 5432,
      database: 'crm',
      user: 'reader',
      ssl: false,
    });
    expect(mysqlConnectionOptions(settings, '203.0.113.7')).toMatchObject({ host: '203.0.113.7', ssl: undefined });
    expect(pgConnectionOptions(settings, '[2001:db8::7]').host).toBe('2001:db8::7');
  });

  it('keep the host name for TLS, so the certificate is still checked against it', () => {
    const tls = { ...settings, tls: { enabled: true, rejectUnauthorized: true } };

    expect(pgConnectionOptions(tls, '203.0.113.7').ssl).toEqual({ rejectUnauthorized: true, servername: 'db.customer.example' });
    expect(pgConnectionOptions({ ...tls, host: '203.0.113.7' }, '203.0.113.7').ssl).toEqual({ rejectUnauthorized: true });
    expect(mysqlConnectionOptions(tls, '203.0.113.7').ssl).toEqual({ rejectUnauthorized: true });
  });
});
