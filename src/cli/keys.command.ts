import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { SecretCipher } from '../../libs/secrets';
import { SecretRotationService } from '../control-plane/secret-rotation/secret-rotation.service';
import { EXIT_FAILURE } from './cli-exit-codes';
import { CliOutput } from './cli-output';

@SubCommand({ name: 'rotate', description: 'Re-encrypt every stored credential under the active key (the first of SECRETS_KEYS)' })
export class KeysRotateCommand extends CommandRunner {
  constructor(
    private readonly rotation: SecretRotationService,
    private readonly cipher: SecretCipher,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const activeKeyId = this.cipher.activeKeyId;
    if (!this.output.json) console.log(`Re-encrypting stored credentials under key "${activeKeyId}"`);
    const report = await this.rotation.rotate();
    const undecryptable = report.flatMap(({ secret, failed: ids }) => ids.map((id) => ({ secret, id })));
    this.output.result({ activeKeyId, secrets: report, undecryptable }, () => {
      console.table(
        report.map(({ secret, rotated, alreadyCurrent, failed }) => ({ secret, rotated, alreadyCurrent, failed: failed.length })),
      );
      if (undecryptable.length > 0)
        console.error(`No configured key opens: ${undecryptable.map(({ secret, id }) => `${secret} of ${id}`).join(', ')}`);
    });
    if (undecryptable.length > 0) process.exitCode = EXIT_FAILURE;
  }
}

@SubCommand({ name: 'status', description: 'How many stored credentials each key encrypts (an old key can go once it encrypts none)' })
export class KeysStatusCommand extends CommandRunner {
  constructor(
    private readonly rotation: SecretRotationService,
    private readonly cipher: SecretCipher,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run(): Promise<void> {
    const activeKeyId = this.cipher.activeKeyId;
    const secrets = await this.rotation.status();
    this.output.result({ activeKeyId, secrets }, () => {
      console.log(`Active key: "${activeKeyId}"`);
      console.table(secrets);
    });
  }
}

@Command({ name: 'keys', description: 'Encryption keys of stored credentials', subCommands: [KeysRotateCommand, KeysStatusCommand] })
export class KeysCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help({ error: true });
  }
}
