import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectCommander } from 'nest-commander';
import { CliUsageError } from './cli-arguments';

/** What is used here of commander's Command (nest-commander brings its own commander, not the top-level one). */
interface CommanderCommand {
  readonly commands: readonly CommanderCommand[];
  name(name: string): unknown;
  addHelpText(position: 'after', text: string): unknown;
  exitOverride(callback: (error: CommanderExit) => never): unknown;
  configureOutput(output: { outputError: (text: string) => void }): unknown;
  allowExcessArguments(allow: boolean): unknown;
}

/** commander's CommanderError: why it would have called process.exit, and with what code. */
interface CommanderExit {
  exitCode: number;
  code: string;
  message: string;
}

const CONVENTIONS = `
Every command:
  --json       print one JSON document on stdout: the result, or {"error": {"code", "message"}}
Exit codes: 0 ok, 1 the operation failed, 2 usage (unknown command or option, bad argument).
Passwords are never taken from the command line.`;

/** Thrown once --help (or a command's help) has been printed: nothing is left to do, exit 0. */
export class CliHelpShown extends Error {}

/**
 * What every command shares, set on commander once nest-commander has built it. Left alone,
 * commander prints its own message and calls process.exit(1) for an unknown option or a missing
 * argument — in the middle of a run, before the database is closed, with the code of a failure.
 * nest-commander overrides that on the root command only, not on the subcommands it builds; so
 * every command gets it here: a usage mistake becomes a CliUsageError (exit code 2, printed once
 * by cli.ts), and extra arguments are refused rather than silently ignored.
 */
@Injectable()
export class CommanderConventions implements OnApplicationBootstrap {
  constructor(@InjectCommander() private readonly root: CommanderCommand) {}

  /** After onModuleInit, where nest-commander builds the command tree. */
  onApplicationBootstrap(): void {
    this.root.name('npm run cli --');
    this.root.addHelpText('after', CONVENTIONS);
    routeExits(this.root);
  }
}

function routeExits(command: CommanderCommand): void {
  command.exitOverride(toCliError);
  command.configureOutput({ outputError: () => undefined });
  command.allowExcessArguments(false);
  for (const subcommand of command.commands) routeExits(subcommand);
}

function toCliError(exit: CommanderExit): never {
  if (exit.exitCode === 0) throw new CliHelpShown();
  // help({ error: true }): a command group called without one of its commands; the help is on stderr already.
  if (exit.code === 'commander.help') throw new CliUsageError('a command is needed');
  throw new CliUsageError(exit.message.replace(/^error: /, ''));
}
