import { MailModule } from './platform/mail/mail.module';
import { DynamicModule, Module, Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthModule } from './identity/auth.module';
import { HttpErrorFilter } from './platform/errors/http-error.filter';
import { IdempotencyModule } from './platform/idempotency/idempotency.module';
import { LoggingModule } from './platform/logging/logging.module';
import { appValidationPipe } from './platform/validation/app-validation-pipe';
import { BodylessRoutesGuard } from './platform/validation/bodyless-routes.guard';
import { RequestContextModule } from './platform/request-context/request-context.module';
import { AppConfig } from './platform/config/app-config';
import { ControlPlaneModule } from './control-plane/control-plane.module';
import { DatabaseModule } from './control-plane/database/database.module';
import { HealthModule } from './control-plane/health/health.module';
import { SecretsModule } from './control-plane/secret-rotation/secrets.module';
import { TenancyModule } from './control-plane/tenant-binding/tenancy.module';
import { TenantSchemaModule } from './control-plane/tenant-binding/tenant-schema.module';
import { RateLimitsModule } from './platform/rate-limits/rate-limits.module';
import { TenantRateLimitsModule } from './control-plane/rate-limits/tenant-rate-limits.module';
import { UsageModule } from './control-plane/usage/usage.module';
// The domain modules register their declarations as these imports are evaluated: this order is the order
// of the module catalog and of the modules' permissions in every answer (and in openapi.json).
import { NotesModule } from './crm/notes/notes.module';
import { AccountsModule } from './crm/accounts/accounts.module';
import { ContactsModule } from './crm/contacts/contacts.module';
import { DealsModule } from './crm/deals/deals.module';
import { ActivitiesModule } from './crm/activities/activities.module';
import { EventsModule } from './crm/events/events.module';
import { InventoryModule } from './crm/inventory/inventory.module';
import { InvoicesModule } from './crm/invoices/invoices.module';
import { BulkTransferModule } from './crm/bulk-transfer/bulk-transfer.module';
import { TenantProfileModule } from './crm/tenant-profile/tenant-profile.module';
import { TenantUsersModule } from './crm/tenant-users/tenant-users.module';
import { TenantAuditModule } from './crm/tenant-audit/tenant-audit.module';
import { CrmDomainEventsModule } from './crm/domain-events/domain-events.module';
import { SubjectRequestsModule } from './crm/subject-requests/subject-requests.module';
import { DataRetentionModule } from './crm/data-retention/data-retention.module';
import { TenantModulesModule } from './crm/tenant-modules/tenant-modules.module';
import { CustomFieldsModule } from './crm/custom-fields/custom-fields.module';
import { QueueModule } from './platform/job-queue/queue.module';
import { MetricsModule } from './platform/metrics/metrics.module';
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
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          skipProcessEnv: true,
          validatePredefined: false,
          load: [() => config],
        }),
        LoggingModule,
        RequestContextModule,
        IdempotencyModule,
        TenantSchemaModule.forRoot(tenantMigrations),
        DatabaseModule,
        MetricsModule,
        QueueModule,
        SecretsModule,
        MailModule,
        ControlPlaneModule,
        TenancyModule,
        RateLimitsModule,
        TenantRateLimitsModule,
        UsageModule,
        AuthModule,
        HealthModule,
        TenantProfileModule,
        TenantUsersModule,
        TenantAuditModule,
        CrmDomainEventsModule,
        SubjectRequestsModule,
        DataRetentionModule,
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
        BulkTransferModule,
        ...extraModules,
      ],
      providers: [
        {
          provide: APP_PIPE,
          useValue: appValidationPipe(),
        },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        { provide: APP_GUARD, useClass: BodylessRoutesGuard },
      ],
    };
  }
}
