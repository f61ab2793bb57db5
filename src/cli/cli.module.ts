import { DynamicModule, Module } from '@nestjs/common';
import { AppModule } from '../app.module';
import { AuthModule } from '../identity/auth.module';
import { AppConfig } from '../platform/config/app-config';
import { ControlPlaneModule } from '../control-plane/control-plane.module';
import { SecretRotationService } from '../control-plane/secret-rotation/secret-rotation.service';
import { AdminsCommand, AdminsInviteCommand, AdminsResetMfaCommand, AdminsResetPasswordCommand } from './admins.command';
import { CliOutput } from './cli-output';
import { CommanderConventions } from './commander-conventions';
import { KeysCommand, KeysRotateCommand, KeysStatusCommand } from './keys.command';
import { MigrateCommand } from './migrate.command';
import { ServersCommand, ServersDrainCommand, TenantsMoveCommand } from './moves.command';
import { QueueCommand } from './queue.command';
import { TenantsCommand, TenantsCreateCommand, TenantsListCommand, TenantsResumeCommand, TenantsSuspendCommand } from './tenants.command';

/** The operator's commands on the same modules as the app (no HTTP listener, no queue worker). */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, output: CliOutput): DynamicModule {
    return {
      module: CliModule,
      imports: [AppModule.forRoot({ ...config, queue: { ...config.queue, worker: false } }), ControlPlaneModule, AuthModule],
      providers: [
        { provide: CliOutput, useValue: output },
        CommanderConventions,
        MigrateCommand,
        TenantsCommand,
        TenantsListCommand,
        TenantsCreateCommand,
        TenantsSuspendCommand,
        TenantsResumeCommand,
        TenantsMoveCommand,
        ServersCommand,
        ServersDrainCommand,
        AdminsCommand,
        AdminsInviteCommand,
        AdminsResetMfaCommand,
        AdminsResetPasswordCommand,
        QueueCommand,
        KeysCommand,
        KeysRotateCommand,
        KeysStatusCommand,
        SecretRotationService,
      ],
    };
  }
}
