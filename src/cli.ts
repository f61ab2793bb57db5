import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliUsageError } from './cli/cli-arguments';
import { cliDatabase } from './cli/cli-database';
import { CliModule } from './cli/cli.module';
import { buildAppConfig } from './config/app-config';
import { resolveSecrets } from './config/development-secrets';
import { ConfigurationError, validateEnvironment } from './config/environment';

/** `npm run cli -- <command>`: migrate, tenants list|create|suspend|resume, admins create, queue. */
async function main(): Promise<void> {
  const vars = validateEnvironment(process.env);
  const secrets = await resolveSecrets(vars);
  const database = await cliDatabase(vars);
  try {
    await CommandFactory.run(CliModule.forRoot(buildAppConfig(vars, database.url, secrets)), { logger: ['error', 'warn'], serviceErrorHandler: report });
  } finally {
    await database.close();
  }
}

/** A usage or configuration error exits 2 with its message; anything else exits 1. */
function report(error: unknown): void {
  const usage = error instanceof ConfigurationError || error instanceof CliUsageError;
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = usage ? 2 : 1;
}

main().catch(report);
