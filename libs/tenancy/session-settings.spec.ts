import { startupOptions, transactionLocalSettings } from './session-settings';

describe('session settings', () => {
  it('writes settings as startup options, escaping what libpq would', () => {
    expect(startupOptions({ lock_timeout: '5000ms', 'app.note': 'a b\\c' })).toBe('-c lock_timeout=5000ms -c app.note=a\\ b\\\\c');
    expect(startupOptions({})).toBe('');
  });

  it('writes settings as transaction-local set_config calls with literal values', () => {
    expect(transactionLocalSettings({ lock_timeout: '5000ms', 'app.note': "it's" })).toBe(
      ", set_config('lock_timeout', '5000ms', true), set_config('app.note', 'it''s', true)",
    );
    expect(transactionLocalSettings({})).toBe('');
  });

  it('refuses a name that is not a plain setting name, in either form', () => {
    for (const name of ["lock_timeout'; DROP TABLE x; --", 'a b', 'Upper', '']) {
      expect(() => startupOptions({ [name]: '1' })).toThrow('is not a PostgreSQL setting name');
      expect(() => transactionLocalSettings({ [name]: '1' })).toThrow('is not a PostgreSQL setting name');
    }
  });
});
