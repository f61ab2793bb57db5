import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  ValidationOptions,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';
import { RETRY_SCHEDULE_PATTERN } from '../../../libs/queue/retry-schedule';

/**
 * A switch: exactly `true` or `false`. class-validator's IsBooleanString also takes `1` and `0`, which the
 * configuration reads as `=== 'true'`, so `1` would have meant false.
 */
function IsTrueOrFalse(options: ValidationOptions): PropertyDecorator {
  return IsIn(['true', 'false'], options);
}

/**
 * Every environment variable Tenantry reads. README.md's configuration table mirrors this
 * class: keep them in step.
 */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsOptional()
  @IsString()
  HOST: string = '0.0.0.0';

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE: number = 10;

  /** On a control plane with no database server, register the control plane's own server and a pooled database on it. */
  @IsOptional()
  @IsTrueOrFalse({ message: 'AUTO_REGISTER_DATABASE_SERVER must be true or false' })
  AUTO_REGISTER_DATABASE_SERVER: string = 'true';

  /** Longest a control-plane statement may run (set on every control-plane connection). */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  CONTROL_PLANE_STATEMENT_TIMEOUT_MS: number = 30_000;

  /** Longest a control-plane statement may wait for a lock. */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  CONTROL_PLANE_LOCK_TIMEOUT_MS: number = 5_000;

  @IsOptional()
  @IsString()
  DATA_DIR: string = '.data';

  /** The built admin console served at /admin (`npm run build` puts it in dist/admin); no build there: no console. */
  @IsOptional()
  @IsString()
  ADMIN_CONSOLE_DIR: string = 'dist/admin';

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  EMBEDDED_POSTGRES_PORT: number = 54329;

  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(10_000)
  TENANT_CONNECTION_BUDGET: number = 60;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  TENANT_DATABASE_POOL_SIZE: number = 2;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  POOLED_DATABASE_POOL_SIZE: number = 10;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  TENANT_IDLE_TIMEOUT_SECONDS: number = 300;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(60_000)
  TENANT_ACQUIRE_TIMEOUT_MS: number = 5_000;

  @IsOptional()
  @IsInt()
  @Min(50)
  @Max(600_000)
  TENANT_LOCK_TIMEOUT_MS: number = 3_000;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000)
  APP_PROCESSES: number = 1;

  /** Worker processes `npm start` runs behind its one port (node:cluster); 1: a single process. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  WEB_CONCURRENCY: number = 1;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(60_000)
  APP_PROCESS_HEARTBEAT_MS: number = 5_000;

  @IsOptional()
  @IsInt()
  @Min(300)
  @Max(600_000)
  APP_PROCESS_STALE_MS: number = 15_000;

  @IsOptional()
  @IsIn(['refuse', 'warn', 'off'])
  CONNECTION_LIMIT_CHECK: 'refuse' | 'warn' | 'off' = 'warn';

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_600)
  TENANT_CACHE_TTL_SECONDS: number = 5;

  @IsOptional()
  @Matches(/^([a-z0-9-]+\.)+[a-z]{2,}$|^localhost$/, { message: 'TENANT_BASE_DOMAIN must be a domain such as tenantry.example.com' })
  TENANT_BASE_DOMAIN?: string;

  @IsOptional()
  @IsTrueOrFalse({ message: 'QUEUE_WORKER must be true or false' })
  QUEUE_WORKER: string = 'true';

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32)
  PROVISIONING_CONCURRENCY: number = 2;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  PROVISIONING_RETRY_LIMIT: number = 3;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  PROVISIONING_RETRY_DELAY_SECONDS: number = 5;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  PROVISIONING_JOB_TIMEOUT_SECONDS: number = 300;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  QUEUE_MAINTENANCE_INTERVAL_SECONDS: number = 30;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  FLEET_HEARTBEAT_SECONDS: number = 5;

  @IsOptional()
  @IsInt()
  @Min(3)
  @Max(3_600)
  FLEET_STALE_AFTER_SECONDS: number = 60;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_600)
  FLEET_LOCK_WAIT_SECONDS: number = 30;

  /** Off: /api requests are not counted per tenant (API calls, writes, active users); the daily rows and storage measurement still runs. */
  @IsOptional()
  @IsTrueOrFalse({ message: 'USAGE_METERING must be true or false' })
  USAGE_METERING: string = 'true';

  @IsOptional()
  @IsInt()
  @Min(50)
  @Max(300_000)
  USAGE_FLUSH_INTERVAL_MS: number = 5_000;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  USAGE_BUFFER_MAX_ENTRIES: number = 100_000;

  @IsOptional()
  @Matches(/^\S+( \S+){4}$/, { message: 'USAGE_MEASURE_SCHEDULE must be a cron expression of five fields, e.g. "30 0 * * *"' })
  USAGE_MEASURE_SCHEDULE: string = '30 0 * * *';

  @IsOptional()
  @IsInt()
  @Min(1_000)
  @Max(3_600_000)
  USAGE_MEASURE_STATEMENT_TIMEOUT_MS: number = 60_000;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  SOURCE_SYNC_RETRY_DELAY_SECONDS: number = 60;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  SOURCE_SYNC_RETRY_LIMIT: number = 6;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_650)
  TENANT_RETENTION_DAYS: number = 30;

  /** Where tenant archives (exports and backups) are written; default `<DATA_DIR>/archives`. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  ARCHIVE_DIR?: string;

  /** An S3-compatible bucket archives are kept in instead of ARCHIVE_DIR (which then only stages them). */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'ARCHIVE_S3_BUCKET must be an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)',
  })
  ARCHIVE_S3_BUCKET?: string;

  /** The S3 endpoint of a service other than AWS (MinIO, Ceph, R2, …); unset: AWS's own for ARCHIVE_S3_REGION. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'ARCHIVE_S3_ENDPOINT must be an http(s) URL such as https://minio.internal:9000' })
  ARCHIVE_S3_ENDPOINT?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  ARCHIVE_S3_REGION: string = 'us-east-1';

  /** Objects addressed as `<endpoint>/<bucket>/<key>` rather than `<bucket>.<endpoint>/<key>`, as most non-AWS services want. */
  @IsOptional()
  @IsTrueOrFalse({ message: 'ARCHIVE_S3_FORCE_PATH_STYLE must be true or false' })
  ARCHIVE_S3_FORCE_PATH_STYLE: string = 'false';

  /** A key prefix for every archive object (e.g. `tenantry/`). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9!_.*'()/-]{0,200}$/, { message: "ARCHIVE_S3_PREFIX may hold letters, digits and !_.*'()/- only" })
  ARCHIVE_S3_PREFIX: string = '';

  /** Credentials of the bucket; unset: the AWS SDK's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, instance role, …). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  ARCHIVE_S3_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  ARCHIVE_S3_SECRET_ACCESS_KEY?: string;

  /** Longest an export or restore attempt may run before it is retried. */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(86_400)
  ARCHIVE_JOB_TIMEOUT_SECONDS: number = 3_600;

  /** When (cron, UTC) tenants due a scheduled backup are backed up and old backups pruned. */
  @IsOptional()
  @Matches(/^\S+( \S+){4}$/, { message: 'BACKUP_SCHEDULE must be a cron expression of five fields, e.g. "0 * * * *"' })
  BACKUP_SCHEDULE: string = '0 * * * *';

  /** When (cron, UTC) the data audit and soft-deleted records past their plan's retention are purged. */
  @IsOptional()
  @Matches(/^\S+( \S+){4}$/, { message: 'RETENTION_SCHEDULE must be a cron expression of five fields, e.g. "15 2 * * *"' })
  RETENTION_SCHEDULE: string = '15 2 * * *';

  /** How long a moved tenant's old copy is kept (for going back by hand) before a job removes it. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(31_536_000)
  TENANT_MOVE_RETENTION_SECONDS: number = 604_800;

  /**
   * One attempt of a move's job; an attempt that outlives it (a killed worker) is resumed by the next.
   * A killed worker's frozen tenant stays frozen this long at most; a copy under the freeze must fit in it.
   */
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(86_400)
  TENANT_MOVE_JOB_TIMEOUT_SECONDS: number = 900;

  /** How long the last catch-up under the write freeze may wait for the target to match the source before the move fails. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  TENANT_MOVE_CATCH_UP_TIMEOUT_SECONDS: number = 60;

  /** How long a write to a frozen tenant waits for the freeze to end before it is answered 503 with Retry-After. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30_000)
  TENANT_MOVE_WRITE_WAIT_MS: number = 2_000;

  /** Unset: on outside production, off in production. */
  @IsOptional()
  @IsTrueOrFalse({ message: 'SELF_SERVICE_REGISTRATION must be true or false' })
  SELF_SERVICE_REGISTRATION?: string;

  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]{0,63}(,[a-z][a-z0-9_-]{0,63})*$/, {
    message: 'SELF_SERVICE_PLANS must be a comma-separated list of plan names',
  })
  SELF_SERVICE_PLANS: string = 'starter';

  @IsOptional()
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsOptional()
  @MaxLength(254)
  MAIL_FROM: string = 'Tenantry <no-reply@tenantry.local>';

  /** Where people reach this deployment: the links in mails point here. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'PUBLIC_URL must be an http(s) URL' })
  PUBLIC_URL?: string;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  INVITATION_TTL_HOURS: number = 7 * 24;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(24 * 60)
  ACCOUNT_TOKEN_TTL_MINUTES: number = 60;

  /** How long an Idempotency-Key and the answer it replays are kept. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 24)
  IDEMPOTENCY_KEY_TTL_HOURS: number = 24;

  /** After this long, a claim whose request completes in its own transaction may be taken over by a retry. */
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(3600)
  IDEMPOTENCY_LEASE_SECONDS: number = 60;

  @IsOptional()
  @IsTrueOrFalse({ message: 'BYOD_ALLOW_PRIVATE_NETWORKS must be true or false' })
  BYOD_ALLOW_PRIVATE_NETWORKS: string = 'false';

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(60_000)
  BYOD_CONNECT_TIMEOUT_MS: number = 5_000;

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(600_000)
  BYOD_BREAKER_RESET_MS: number = 10_000;

  /** A byod source whose circuit breaker stays open this long raises an alert to platform admins. */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  BYOD_BREAKER_ALERT_AFTER_MS: number = 60_000;

  /** Webhooks to loopback/private/link-local addresses (development, tests); metadata addresses never. */
  @IsOptional()
  @IsTrueOrFalse({ message: 'WEBHOOK_ALLOW_PRIVATE_NETWORKS must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: string = 'false';

  /** Longest one webhook delivery attempt may take, from connecting to the answer's first KiB. */
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS: number = 10_000;

  /** Waits before each retry of a failed delivery; after the last one the delivery is dead-lettered. */
  @IsOptional()
  @Matches(RETRY_SCHEDULE_PATTERN, { message: 'WEBHOOK_RETRY_SCHEDULE must be a comma-separated list of waits such as 5s,5m,30m,2h' })
  WEBHOOK_RETRY_SCHEDULE: string = '5s,5m,30m,2h,5h,10h,10h';

  /** An endpoint whose deliveries have failed without a success for this many days is disabled. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  WEBHOOK_DISABLE_AFTER_DAYS: number = 5;

  /** Finished deliveries (and their attempts) are deleted from the delivery log after this many days. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_650)
  WEBHOOK_LOG_RETENTION_DAYS: number = 30;

  /** Delivery attempts this process has in flight at once (0: it delivers none, other processes do). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(256)
  WEBHOOK_DELIVERY_CONCURRENCY: number = 32;

  /**
   * Delivery attempts to one owner's endpoints (a tenant's, or the platform's) in flight at once across all processes, so
   * one tenant's many slow endpoints hold at most this many of a process's.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(256)
  WEBHOOK_TENANT_CONCURRENCY: number = 16;

  /** Delivery attempts to one endpoint in flight at once across all processes, so a slow endpoint holds at most this many of a process's. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  WEBHOOK_ENDPOINT_CONCURRENCY: number = 2;

  @IsOptional()
  @IsEmail()
  ADMIN_EMAIL: string = 'admin@tenantry.local';

  @IsOptional()
  @MinLength(12, { message: 'ADMIN_PASSWORD must be at least 12 characters' })
  ADMIN_PASSWORD?: string;

  @IsOptional()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(86400)
  JWT_ACCESS_TTL_SECONDS: number = 900;

  @IsOptional()
  @IsInt()
  @Min(300)
  REFRESH_TOKEN_TTL_SECONDS: number = 30 * 24 * 3600;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{40,}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{40,})*$/, {
    message: 'SECRETS_KEYS must be a comma-separated list of keyId:base64(32 bytes)',
  })
  SECRETS_KEYS?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'SECRETS_ACTIVE_KEY_ID must be a key id listed in SECRETS_KEYS' })
  SECRETS_ACTIVE_KEY_ID?: string;

  @IsOptional()
  @IsTrueOrFalse({ message: 'REQUIRE_ADMIN_MFA must be true or false' })
  REQUIRE_ADMIN_MFA: string = 'false';

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  LOGIN_MAX_FAILURES_PER_ACCOUNT: number = 5;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  LOGIN_MAX_FAILURES_PER_IP: number = 50;

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_THROTTLE_WINDOW_SECONDS: number = 900;

  /** Shared state of every app process (rate-limit counters); unset: kept in this process only. */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Starts every Redis key Tenantry writes, so several deployments (or test runs) can share one Redis. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, { message: 'REDIS_KEY_PREFIX must be 1-64 letters, digits or : _ . -' })
  REDIS_KEY_PREFIX: string = 'tenantry:';

  /** Off: no /api request is counted against the plans' rate limits (the login and registration throttles stay). */
  @IsOptional()
  @IsTrueOrFalse({ message: 'RATE_LIMITS must be true or false' })
  RATE_LIMITS: string = 'true';

  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /** Largest file a bulk import takes (streamed into the control plane, never held whole); larger ones are a 413. */
  @IsOptional()
  @IsInt()
  @Min(1024)
  @Max(2 * 1024 * 1024 * 1024)
  IMPORT_MAX_BYTES: number = 100 * 1024 * 1024;

  /**
   * Longest an import's upload may take in all: it holds a request connection meanwhile, so a sender trickling bytes
   * is cut off (408) rather than holding it for ever.
   */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(24 * 3600)
  IMPORT_UPLOAD_TIMEOUT_SECONDS: number = 900;

  /** Delay before a failed import attempt is retried; each further retry waits about twice as long. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3_600)
  IMPORT_RETRY_DELAY_SECONDS: number = 10;

  /** Retries of a failed import attempt before the import is recorded as failed. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  IMPORT_RETRY_LIMIT: number = 3;

  /** How long one attempt of an import job may run before it is stopped and retried (it resumes where it committed). */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(24 * 3600)
  IMPORT_JOB_TIMEOUT_SECONDS: number = 3600;

  @IsOptional()
  @IsTrueOrFalse({ message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY: string = 'false';

  /** Origins allowed to call the API from a browser; unset: none (same-origin only). */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/,]+(,https?:\/\/[^\s/,]+)*$/, {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://console.example.com',
  })
  CORS_ORIGINS?: string;

  /** Unset: on outside production, off in production. */
  @IsOptional()
  @IsTrueOrFalse({ message: 'SWAGGER_UI must be true or false' })
  SWAGGER_UI?: string;

  /** Off: no Prometheus metrics: requests are not observed, Node's own figures not collected, GET /metrics answers 404. */
  @IsOptional()
  @IsTrueOrFalse({ message: 'METRICS must be true or false' })
  METRICS: string = 'true';

  /** Bearer token a Prometheus scraper sends to GET /metrics; unset: /metrics answers loopback clients only. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._~+/=-]{16,256}$/, { message: 'METRICS_TOKEN must be 16 to 256 token characters (letters, digits, ._~+/=-)' })
  METRICS_TOKEN?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Where traces go (OTLP over HTTP): `<endpoint>/v1/traces`; unset, with no traces endpoint either: no tracing at all. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL such as http://collector:4318' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The full URL spans are posted to; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/\S*)?$/, {
    message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http(s) URL such as http://collector:4318/v1/traces',
  })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  /** Headers sent with every export (a collector's API key): `name=value[,name2=value2]`, values URL-encoded. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9!#$&'*+.^_`|~-]+=([^,\s%]|%[0-9A-Fa-f]{2})*(,[A-Za-z0-9!#$&'*+.^_`|~-]+=([^,\s%]|%[0-9A-Fa-f]{2})*)*$/, {
    message: 'OTEL_EXPORTER_OTLP_HEADERS must be name=value pairs separated by commas',
  })
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'OTEL_SERVICE_NAME must be 1-64 letters, digits or . _ -' })
  OTEL_SERVICE_NAME: string = 'tenantry';
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Parses and validates the environment; throws a ConfigurationError naming every bad variable. */
export function validateEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const known = Object.keys(new EnvironmentVariables());
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => value !== undefined && value !== '' && (known.includes(key) || isDeclared(key))),
  );
  const parsed = plainToInstance(EnvironmentVariables, present, { enableImplicitConversion: true });
  const errors = validateSync(parsed, { whitelist: true, forbidUnknownValues: true });
  const problems = errors.map((error) => {
    const messages = Object.values(error.constraints ?? {});
    return `${error.property}=${JSON.stringify(redactIfSecret(error.property, present[error.property] ?? error.value))}: ${messages.join('; ')}`;
  });
  if (parsed.NODE_ENV === 'production') {
    if (!parsed.JWT_SECRET) problems.push('JWT_SECRET: required when NODE_ENV=production');
    if (!parsed.SECRETS_KEYS) problems.push('SECRETS_KEYS: required when NODE_ENV=production');
    if (!parsed.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production (the embedded PostgreSQL is for development)');
    if (!parsed.SMTP_URL) problems.push('SMTP_URL: required when NODE_ENV=production (invitations and password resets are mailed)');
    if (!parsed.PUBLIC_URL) problems.push('PUBLIC_URL: required when NODE_ENV=production (the links in mails point there)');
  }
  if (parsed.APP_PROCESS_STALE_MS < 2 * parsed.APP_PROCESS_HEARTBEAT_MS) {
    problems.push('APP_PROCESS_STALE_MS: must be at least twice APP_PROCESS_HEARTBEAT_MS, or one late heartbeat drops a live process');
  }
  if (parsed.CONTROL_PLANE_LOCK_TIMEOUT_MS > parsed.CONTROL_PLANE_STATEMENT_TIMEOUT_MS) {
    problems.push('CONTROL_PLANE_LOCK_TIMEOUT_MS: must not exceed CONTROL_PLANE_STATEMENT_TIMEOUT_MS (the statement would time out first)');
  }
  if (parsed.SECRETS_KEYS && parsed.SECRETS_ACTIVE_KEY_ID) {
    const ids = parsed.SECRETS_KEYS.split(',').map((entry) => entry.split(':')[0]);
    if (!ids.includes(parsed.SECRETS_ACTIVE_KEY_ID)) {
      problems.push(`SECRETS_ACTIVE_KEY_ID: "${parsed.SECRETS_ACTIVE_KEY_ID}" is not one of the ids in SECRETS_KEYS`);
    }
  }
  if (parsed.FLEET_STALE_AFTER_SECONDS < 3 * parsed.FLEET_HEARTBEAT_SECONDS) {
    // A live run that misses a beat or two (a slow control-plane query) must not be declared dead.
    problems.push('FLEET_STALE_AFTER_SECONDS: must be at least 3 × FLEET_HEARTBEAT_SECONDS');
  }
  if (Boolean(parsed.ARCHIVE_S3_ACCESS_KEY_ID) !== Boolean(parsed.ARCHIVE_S3_SECRET_ACCESS_KEY)) {
    problems.push('ARCHIVE_S3_ACCESS_KEY_ID and ARCHIVE_S3_SECRET_ACCESS_KEY: set both or neither');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return parsed;
}

/** Optional variables without a default are not own properties of a fresh instance. */
function isDeclared(key: string): boolean {
  return [
    'DATABASE_URL',
    'ADMIN_PASSWORD',
    'JWT_SECRET',
    'SECRETS_KEYS',
    'SECRETS_ACTIVE_KEY_ID',
    'TENANT_BASE_DOMAIN',
    'SELF_SERVICE_REGISTRATION',
    'SMTP_URL',
    'PUBLIC_URL',
    'CORS_ORIGINS',
    'SWAGGER_UI',
    'METRICS_TOKEN',
    'REDIS_URL',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_HEADERS',
    'ARCHIVE_S3_BUCKET',
    'ARCHIVE_S3_ENDPOINT',
    'ARCHIVE_S3_ACCESS_KEY_ID',
    'ARCHIVE_S3_SECRET_ACCESS_KEY',
  ].includes(key);
}

function redactIfSecret(name: string, value: unknown): unknown {
  return /PASSWORD|SECRET|KEYS|TOKEN|DATABASE_URL|REDIS_URL|OTLP_HEADERS/.test(name) ? '[redacted]' : value;
}
