import 'reflect-metadata';
import { CommandFactory, CommandRunnerService } from 'nest-commander';
import { globalFlags, refuseSecretArguments } from './cli/cli-arguments';
import { cliDatabase } from './cli/cli-database';
import { exitCodeOf } from './cli/cli-exit-codes';
import { CliOutput } from './cli/cli-output';
import { CliModule } from './cli/cli.module';
import { CliHelpShown } from './cli/commander-conventions';
import { StderrLogger } from './cli/stderr-logger';
import { buildAppConfig } from './platform/config/app-config';
import { resolveSecrets } from './platform/config/development-secrets';
import { validateEnvironment } from './platform/config/environment';

/**
 * `npm run cli -- <command>` (README, "Operator CLI"). Exit codes 0 ok, 1 failure, 2 usage, the
 * same for every command; `--json` anywhere makes stdout one JSON document.
 */
async function main(output: CliOutput, argv: string[]): Promise<void> {
  refuseSecretArguments(argv.slice(2));
  const vars = validateEnvironment(process.env);
  const secrets = await resolveSecrets(vars);
  const database = await cliDatabase(vars);
  try {
    const app = await CommandFactory.createWithoutRunning(CliModule.forRoot(buildAppConfig(vars, database.url, secrets), output), {
      logger: new StderrLogger({ logLevels: ['error', 'warn'] }),
      // Errors (a failed module start, a command's or commander's) reach the catch below, after everything is closed.
      abortOnError: false,
      serviceErrorHandler: (error) => {
        throw error;
      },
    });
    try {
      await app.get(CommandRunnerService).run(argv);
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

const { json, argv } = globalFlags(process.argv);
const output = new CliOutput(json);
main(output, argv).catch((error: unknown) => {
  if (error instanceof CliHelpShown) return;
  const exitCode = exitCodeOf(error);
  output.error(error, exitCode);
  // A module that failed to start can leave connections open that no close() reaches: they must not keep the
  // operator waiting. Writes to a pipe or file are synchronous on the platforms Tenantry runs on, so nothing is cut.
  process.exit(exitCode);
});
