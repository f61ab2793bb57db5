import { CliUsageError, globalFlags, refuseSecretArguments } from './cli-arguments';

describe('CLI arguments', () => {
  it('takes --json off the command line wherever it stands', () => {
    expect(globalFlags(['node', 'cli', 'tenants', '--json', 'list'])).toEqual({ json: true, argv: ['node', 'cli', 'tenants', 'list'] });
    expect(globalFlags(['node', 'cli', 'queue'])).toEqual({ json: false, argv: ['node', 'cli', 'queue'] });
  });

  it.each(['--password', '--password=hunter2hunter2', '--admin-password', '--db-password=x', '--secret', '--SECRET=x'])(
    'refuses the secret flag %s without repeating its value',
    (flag) => {
      const refusal = () => refuseSecretArguments(['admins', 'invite', '--email', 'ops@example.test', flag]);
      expect(refusal).toThrow(CliUsageError);
      expect(refusal).toThrow(/never taken from the command line/);
      expect(refusal).not.toThrow(/hunter2|=x/);
    },
  );

  it.each([['--email', 'password@example.test'], ['--email=secret@example.test'], ['--name', 'password']])(
    'lets through arguments that only mention a password: %s',
    (...args) => {
      expect(() => refuseSecretArguments(['tenants', 'create', ...args])).not.toThrow();
    },
  );
});
