import { MailModule } from './mail/mail.module';
import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { HttpErrorFilter } from './common/errors/http-error.filter';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { LoggingModule } from './common/logging/logging.module';
import { appValidationPipe } from './common/validation/app-validation-pipe';
import { RequestContextModule } from './common/request-context/request-context.module';
import { AppConfig } from './config/app-config';
import { ControlPlaneModule } from './control-plane/control-plane.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { SecretsModule } from './secrets/secrets.module';
import { NotesModule } from './notes/notes.module';
import { TenancyModule } from './tenancy/tenancy.module';
import { TenantProfileModule } from './tenant-profile/tenant-profile.module';
import { TenantUsersModule } from './tenant-users/tenant-users.module';
import { TenantAuditModule } from './tenant-audit/tenant-audit.module';
import { TenantModulesModule } from './tenant-modules/tenant-modules.module';
import { CustomFieldsModule } from './custom-fields/custom-fields.module';
import { AccountsModule } from './accounts/accounts.module';
import { ContactsModule } from './contacts/contacts.module';
import { DealsModule } from './deals/deals.module';
import { ActivitiesModule } from './activities/activities.module';
import { EventsModule } from './events/events.module';
import { InventoryModule } from './inventory/inventory.module';
import { InvoicesModule } from './invoices/invoices.module';
import { TenantSchemaModule } from './tenancy/tenant-schema.module';
import { QueueModule } from './queue/queue.module';
import { MigrationClass } from '../libs/tenancy/tenant-schema-migrator';
import { TENANT_MIGRATIONS } from '../migrations/tenant';

@Module({})
export class AppModule {
  /**
   * The configuration is validated before the module is built (see main.ts), so it arrives typed.
   * `extraModules` lets a benchmark mount its baseline routes on the very same stack;
   * `tenantMigrations` lets a test run the app as a release with a newer tenant schema would.
   */
  static forRoot(config: AppConfig, extraModules: Type[] = [], tenantMigrations: MigrationClass[] = TENANT_MIGRATIONS): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, validatePredefined: false, load: [() => config] }),
        LoggingModule,
        RequestContextModule,
        IdempotencyModule,
        TenantSchemaModule.forRoot(tenantMigrations),
        DatabaseModule,
        QueueModule,
        SecretsModule,
        MailModule,
        ControlPlaneModule,
        TenancyModule,
        AuthModule,
        HealthModule,
        TenantProfileModule,
        TenantUsersModule,
        TenantAuditModule,
        TenantModulesModule,
        CustomFieldsModule,
        AccountsModule,
        ContactsModule,
        DealsModule,
        ActivitiesModule,
        EventsModule,
        InventoryModule,
        InvoicesModule,
        NotesModule,
        ...extraModules,
      ],
      providers: [
        {
          provide: APP_PIPE,
          useValue: appValidationPipe(),
        },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
