import { Command, CommandRunner, SubCommand } from 'nest-commander';
import { SecretCipher } from '../../libs/secrets';
import { SecretRotationService } from '../secrets/secret-rotation.service';

@SubCommand({ name: 'rotate', description: 'Re-encrypt every stored credential under the active key (the first of SECRETS_KEYS)' })
export class KeysRotateCommand extends CommandRunner {
  constructor(
    private readonly rotation: SecretRotationService,
    private readonly cipher: SecretCipher,
  ) {
    super();
  }

  async run(): Promise<void> {
    console.log(`Re-encrypting stored credentials under key "${this.cipher.activeKeyId}"`);
    const report = await this.rotation.rotate();
    console.table(report.map(({ secret, rotated, alreadyCurrent, failed }) => ({ secret, rotated, alreadyCurrent, failed: failed.length })));
    const failed = report.flatMap(({ secret, failed: ids }) => ids.map((id) => `${secret} of ${id}`));
    if (failed.length > 0) {
      console.error(`No configured key opens: ${failed.join(', ')}`);
      process.exitCode = 1;
    }
  }
}

@SubCommand({ name: 'status', description: 'How many stored credentials each key encrypts (an old key can go once it encrypts none)' })
export class KeysStatusCommand extends CommandRunner {
  constructor(
    private readonly rotation: SecretRotationService,
    private readonly cipher: SecretCipher,
  ) {
    super();
  }

  async run(): Promise<void> {
    console.log(`Active key: "${this.cipher.activeKeyId}"`);
    console.table(await this.rotation.status());
  }
}

@Command({ name: 'keys', description: 'Encryption keys of stored credentials', subCommands: [KeysRotateCommand, KeysStatusCommand] })
export class KeysCommand extends CommandRunner {
  async run(): Promise<void> {
    this.command.help();
  }
}
