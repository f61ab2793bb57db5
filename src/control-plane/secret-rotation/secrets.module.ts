import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { SecretCipher } from '../../../libs/secrets';
import { AppConfig } from '../../platform/config/app-config';

/** The application's one SecretCipher, keyed from SECRETS_KEYS. */
@Global()
@Module({
  providers: [
    {
      provide: SecretCipher,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => new SecretCipher(config.get('secrets', { infer: true })),
    },
  ],
  exports: [SecretCipher],
})
export class SecretsModule {}
