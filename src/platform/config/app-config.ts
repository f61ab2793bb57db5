import { join, resolve } from 'node:path';
import { SecretCipher, SecretKeyring } from '../../../libs/secrets';
import { parseRetrySchedule } from '../../../libs/queue/retry-schedule';
import { EnvironmentVariables } from './environment';

/** The validated, typed configuration every module reads through ConfigService<AppConfig, true>. */
export interface AppConfig {
  nodeEnv: EnvironmentVariables['NODE_ENV'];
  http: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    trustProxy: boolean;
    /** Browser origins allowed by CORS; empty: none. */
    corsOrigins: string[];
    /** Whether /docs and /docs-json are served. */
    swaggerUi: boolean;
    /** Bearer token for GET /metrics; null: loopback clients only. */
    metricsToken: string | null;
    /** The built admin console (index.html and assets/) served at /admin. */
    adminConsoleDir: string;
  };
  database: {
    url: string;
    /** Connections serving requests. */
    poolSize: number;
    /** Connections of this process's job workers, apart from the request pool so a stuck job cannot starve requests. */
    workerPoolSize: number;
    statementTimeoutMs: number;
    lockTimeoutMs: number;
    /** A first start registers the control plane's own server (and a pooled database on it) for tenant data when none is registered. */
    autoRegisterServer: boolean;
  };
  /** What the start-up check of connections against the servers' max_connections assumes and does. */
  connectionLimits: { processes: number; check: 'refuse' | 'warn' | 'off' };
  /** Registration of this process in the control plane (app_processes), which splits servers' connection budgets. */
  appProcesses: { heartbeatMs: number; staleMs: number };
  admin: { email: string; password?: string };
  auth: {
    jwtSecret: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    maxFailuresPerAccount: number;
    maxFailuresPerIp: number;
    throttleWindowSeconds: number;
    /** Platform admins without TOTP get tokens that reach only the enrolment routes. */
    requireAdminMfa: boolean;
  };
  secrets: SecretKeyring;
  tenancy: {
    connectionBudget: number;
    dedicatedPoolSize: number;
    pooledPoolSize: number;
    idleTimeoutMs: number;
    acquireTimeoutMs: number;
    /** lock_timeout of tenant connections: a request waits at most this for a lock (e.g. a migration's), then 503. */
    lockTimeoutMs: number;
    /** Longest a cached tenant, membership or API key is trusted: a safety net, the change feed pushes every change. */
    cacheTtlMs: number;
    baseDomain?: string;
    allowQueryParameter: boolean;
  };
  imports: {
    maxBytes: number;
    uploadTimeoutSeconds: number;
    jobTimeoutSeconds: number;
    retryDelaySeconds: number;
    retryLimit: number;
  };
  queue: {
    /** Whether this process works the job queues (API-only instances can opt out). */
    worker: boolean;
    maintenanceIntervalSeconds: number;
  };
  provisioning: {
    /** Tenants this process provisions at the same time. */
    concurrency: number;
    retryLimit: number;
    retryDelaySeconds: number;
    jobTimeoutSeconds: number;
    retentionDays: number;
    selfServiceRegistration: boolean;
    /** The plans a self-service registration may choose. */
    selfServicePlans: string[];
  };
  sourceSync: {
    /** Delay before a failed sync attempt's first retry; each further retry waits about twice as long. */
    retryDelaySeconds: number;
    /** Retries of a failed sync run before it is recorded as failed. */
    retryLimit: number;
  };
  archives: {
    /** The local directory archives are written to (staged in, when they are kept in S3). */
    directory: string;
    /** An S3-compatible bucket archives are kept in; null: the local directory. */
    s3: ArchiveBucket | null;
    jobTimeoutSeconds: number;
    /** Cron (UTC) of the sweep that backs up the tenants due and prunes old backups. */
    backupSchedule: string;
    /** Cron (UTC) of the purge of data past the plans' retention. */
    retentionSchedule: string;
  };
  tenantMoves: {
    retentionSeconds: number;
    jobTimeoutSeconds: number;
    catchUpTimeoutMs: number;
    /** A frozen tenant's write waits this long for the freeze to end, then gets 503. */
    writeWaitMs: number;
  };
  usage: {
    /** Whether answered /api requests are counted per tenant (off: only the daily measurement records usage). */
    metering: boolean;
    /** How often each process adds the request counts it holds to the control plane. */
    flushIntervalMs: number;
    /** Most tenant-days a process holds between flushes (while they fail); requests beyond are not metered, with a warning. */
    bufferMaxEntries: number;
    /** When (cron, UTC) every active tenant's rows and storage are measured. */
    measureSchedule: string;
    /** statement_timeout of the measurement's queries on a tenant database. */
    measureStatementTimeoutMs: number;
  };
  fleet: {
    /** How often a running fleet migration records that its runner is alive. */
    heartbeatMs: number;
    /** A running run whose heartbeat is older than this is marked `interrupted` (its runner died). */
    staleAfterSeconds: number;
    /** How long a database locked by another runner is waited for before it is reported skipped. */
    lockWaitMs: number;
  };
  accounts: {
    invitationTtlHours: number;
    /** Lifetime of password-reset and e-mail verification links. */
    tokenTtlMinutes: number;
    /** Base of the links in mails. */
    publicUrl: string;
  };
  idempotency: {
    keyTtlHours: number;
    /** A claim completed in its handler's own transaction can be taken over once this passes (its process died). */
    leaseSeconds: number;
  };
  mail: {
    /** Unset outside production: mails are logged instead of sent. */
    smtpUrl?: string;
    from: string;
  };
  byod: {
    /** Customer sources on loopback/private/link-local networks (development, tests); metadata addresses never. */
    allowPrivateNetworks: boolean;
    connectTimeoutMs: number;
    /** After repeated failures a tenant's source is not called for this long, then one trial call goes through. */
    breakerResetMs: number;
    /** A breaker open this long raises an alert. */
    breakerAlertAfterMs: number;
  };
  webhooks: {
    /** Endpoints on loopback/private/link-local networks (development, tests); metadata addresses never. */
    allowPrivateNetworks: boolean;
    timeoutMs: number;
    /** Seconds before each retry; after the last one a delivery is dead-lettered. */
    retrySchedule: number[];
    /** An endpoint failing without a success this long is disabled. */
    disableAfterMs: number;
    /** Finished deliveries are kept in the log this long. */
    logRetentionDays: number;
    /** Deliveries this process works at once; 0: none. */
    deliveryConcurrency: number;
    /** Deliveries to one endpoint in flight at once, across processes. */
    endpointConcurrency: number;
    /** Attempts in flight to one owner's endpoints (a tenant's, or the platform's), across processes. */
    tenantConcurrency: number;
  };
  /** Shared by every app process when a URL is set; otherwise state stays in this process. */
  redis: { url?: string; keyPrefix: string };
  rateLimits: {
    /** Whether /api requests are counted against the plans' limits. */
    enabled: boolean;
  };
  /** Where this process's spans go; null: no tracing, and nothing of the OpenTelemetry SDK is loaded. */
  tracing: TracingSettings | null;
  metrics: {
    /** Whether requests are observed and GET /metrics serves anything. */
    enabled: boolean;
  };
  logLevel: string;
}

/** OpenTelemetry trace export over OTLP/HTTP (JSON). */
export interface TracingSettings {
  /** Where spans are posted. */
  tracesUrl: string;
  /** The `service.name` of every span. */
  serviceName: string;
  /** Sent with every export, e.g. a collector's API key. */
  headers: Record<string, string>;
}

export interface ResolvedSecrets {
  jwtSecret: string;
  secretsKeys: string;
}

export function buildAppConfig(vars: EnvironmentVariables, databaseUrl: string, secrets: ResolvedSecrets): AppConfig {
  return {
    nodeEnv: vars.NODE_ENV,
    http: {
      host: vars.HOST,
      port: vars.PORT,
      bodyLimitBytes: vars.BODY_LIMIT_BYTES,
      trustProxy: vars.TRUST_PROXY === 'true',
      corsOrigins: vars.CORS_ORIGINS ? vars.CORS_ORIGINS.split(',') : [],
      swaggerUi: vars.SWAGGER_UI ? vars.SWAGGER_UI === 'true' : vars.NODE_ENV !== 'production',
      metricsToken: vars.METRICS_TOKEN ?? null,
      adminConsoleDir: resolve(vars.ADMIN_CONSOLE_DIR),
    },
    database: {
      url: databaseUrl,
      poolSize: vars.DATABASE_POOL_SIZE,
      // One connection per provisioning worker, one to cancel a timed-out attempt's statement, one for the dead letters,
      // and three for webhook deliveries however many are in flight: their claim, the record of successes (batched), and
      // that of failures (one at a time). An attempt holds no connection during its POST.
      workerPoolSize: vars.PROVISIONING_CONCURRENCY + 2 + (vars.WEBHOOK_DELIVERY_CONCURRENCY > 0 ? 3 : 0),
      statementTimeoutMs: vars.CONTROL_PLANE_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: vars.CONTROL_PLANE_LOCK_TIMEOUT_MS,
      autoRegisterServer: vars.AUTO_REGISTER_DATABASE_SERVER === 'true',
    },
    connectionLimits: { processes: Math.max(vars.APP_PROCESSES, vars.WEB_CONCURRENCY), check: vars.CONNECTION_LIMIT_CHECK },
    appProcesses: { heartbeatMs: vars.APP_PROCESS_HEARTBEAT_MS, staleMs: vars.APP_PROCESS_STALE_MS },
    admin: { email: vars.ADMIN_EMAIL.toLowerCase(), password: vars.ADMIN_PASSWORD },
    auth: {
      jwtSecret: secrets.jwtSecret,
      accessTtlSeconds: vars.JWT_ACCESS_TTL_SECONDS,
      refreshTtlSeconds: vars.REFRESH_TOKEN_TTL_SECONDS,
      maxFailuresPerAccount: vars.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: vars.LOGIN_MAX_FAILURES_PER_IP,
      throttleWindowSeconds: vars.LOGIN_THROTTLE_WINDOW_SECONDS,
      requireAdminMfa: vars.REQUIRE_ADMIN_MFA === 'true',
    },
    secrets: SecretCipher.parseKeyring(secrets.secretsKeys, vars.SECRETS_ACTIVE_KEY_ID),
    tenancy: {
      connectionBudget: vars.TENANT_CONNECTION_BUDGET,
      dedicatedPoolSize: vars.TENANT_DATABASE_POOL_SIZE,
      pooledPoolSize: vars.POOLED_DATABASE_POOL_SIZE,
      idleTimeoutMs: vars.TENANT_IDLE_TIMEOUT_SECONDS * 1000,
      acquireTimeoutMs: vars.TENANT_ACQUIRE_TIMEOUT_MS,
      lockTimeoutMs: vars.TENANT_LOCK_TIMEOUT_MS,
      cacheTtlMs: vars.TENANT_CACHE_TTL_SECONDS * 1000,
      baseDomain: vars.TENANT_BASE_DOMAIN,
      allowQueryParameter: vars.NODE_ENV === 'development',
    },
    imports: {
      maxBytes: vars.IMPORT_MAX_BYTES,
      uploadTimeoutSeconds: vars.IMPORT_UPLOAD_TIMEOUT_SECONDS,
      jobTimeoutSeconds: vars.IMPORT_JOB_TIMEOUT_SECONDS,
      retryDelaySeconds: vars.IMPORT_RETRY_DELAY_SECONDS,
      retryLimit: vars.IMPORT_RETRY_LIMIT,
    },
    queue: { worker: vars.QUEUE_WORKER === 'true', maintenanceIntervalSeconds: vars.QUEUE_MAINTENANCE_INTERVAL_SECONDS },
    provisioning: {
      concurrency: vars.PROVISIONING_CONCURRENCY,
      retryLimit: vars.PROVISIONING_RETRY_LIMIT,
      retryDelaySeconds: vars.PROVISIONING_RETRY_DELAY_SECONDS,
      jobTimeoutSeconds: vars.PROVISIONING_JOB_TIMEOUT_SECONDS,
      retentionDays: vars.TENANT_RETENTION_DAYS,
      selfServiceRegistration: vars.SELF_SERVICE_REGISTRATION ? vars.SELF_SERVICE_REGISTRATION === 'true' : vars.NODE_ENV !== 'production',
      selfServicePlans: vars.SELF_SERVICE_PLANS.split(','),
    },
    sourceSync: { retryDelaySeconds: vars.SOURCE_SYNC_RETRY_DELAY_SECONDS, retryLimit: vars.SOURCE_SYNC_RETRY_LIMIT },
    archives: {
      directory: vars.ARCHIVE_DIR ?? join(vars.DATA_DIR, 'archives'),
      s3: vars.ARCHIVE_S3_BUCKET
        ? {
            bucket: vars.ARCHIVE_S3_BUCKET,
            endpoint: vars.ARCHIVE_S3_ENDPOINT ?? null,
            region: vars.ARCHIVE_S3_REGION,
            forcePathStyle: vars.ARCHIVE_S3_FORCE_PATH_STYLE === 'true',
            prefix: vars.ARCHIVE_S3_PREFIX,
            credentials:
              vars.ARCHIVE_S3_ACCESS_KEY_ID && vars.ARCHIVE_S3_SECRET_ACCESS_KEY
                ? { accessKeyId: vars.ARCHIVE_S3_ACCESS_KEY_ID, secretAccessKey: vars.ARCHIVE_S3_SECRET_ACCESS_KEY }
                : null,
          }
        : null,
      jobTimeoutSeconds: vars.ARCHIVE_JOB_TIMEOUT_SECONDS,
      backupSchedule: vars.BACKUP_SCHEDULE,
      retentionSchedule: vars.RETENTION_SCHEDULE,
    },
    tenantMoves: {
      retentionSeconds: vars.TENANT_MOVE_RETENTION_SECONDS,
      jobTimeoutSeconds: vars.TENANT_MOVE_JOB_TIMEOUT_SECONDS,
      catchUpTimeoutMs: vars.TENANT_MOVE_CATCH_UP_TIMEOUT_SECONDS * 1000,
      writeWaitMs: vars.TENANT_MOVE_WRITE_WAIT_MS,
    },
    usage: {
      metering: vars.USAGE_METERING === 'true',
      flushIntervalMs: vars.USAGE_FLUSH_INTERVAL_MS,
      bufferMaxEntries: vars.USAGE_BUFFER_MAX_ENTRIES,
      measureSchedule: vars.USAGE_MEASURE_SCHEDULE,
      measureStatementTimeoutMs: vars.USAGE_MEASURE_STATEMENT_TIMEOUT_MS,
    },
    fleet: {
      heartbeatMs: vars.FLEET_HEARTBEAT_SECONDS * 1000,
      staleAfterSeconds: vars.FLEET_STALE_AFTER_SECONDS,
      lockWaitMs: vars.FLEET_LOCK_WAIT_SECONDS * 1000,
    },
    accounts: {
      invitationTtlHours: vars.INVITATION_TTL_HOURS,
      tokenTtlMinutes: vars.ACCOUNT_TOKEN_TTL_MINUTES,
      publicUrl: (vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).replace(/\/+$/, ''),
    },
    idempotency: { keyTtlHours: vars.IDEMPOTENCY_KEY_TTL_HOURS, leaseSeconds: vars.IDEMPOTENCY_LEASE_SECONDS },
    mail: { smtpUrl: vars.SMTP_URL, from: vars.MAIL_FROM },
    byod: {
      allowPrivateNetworks: vars.BYOD_ALLOW_PRIVATE_NETWORKS === 'true',
      connectTimeoutMs: vars.BYOD_CONNECT_TIMEOUT_MS,
      breakerResetMs: vars.BYOD_BREAKER_RESET_MS,
      breakerAlertAfterMs: vars.BYOD_BREAKER_ALERT_AFTER_MS,
    },
    webhooks: {
      allowPrivateNetworks: vars.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS,
      retrySchedule: parseRetrySchedule(vars.WEBHOOK_RETRY_SCHEDULE),
      disableAfterMs: vars.WEBHOOK_DISABLE_AFTER_DAYS * 24 * 3600 * 1000,
      logRetentionDays: vars.WEBHOOK_LOG_RETENTION_DAYS,
      deliveryConcurrency: vars.WEBHOOK_DELIVERY_CONCURRENCY,
      endpointConcurrency: vars.WEBHOOK_ENDPOINT_CONCURRENCY,
      tenantConcurrency: vars.WEBHOOK_TENANT_CONCURRENCY,
    },
    redis: { url: vars.REDIS_URL, keyPrefix: vars.REDIS_KEY_PREFIX },
    rateLimits: { enabled: vars.RATE_LIMITS === 'true' },
    tracing: buildTracingSettings(vars),
    metrics: { enabled: vars.METRICS === 'true' },
    logLevel: vars.LOG_LEVEL,
  };
}

/**
 * The OTLP variables as the OpenTelemetry specification reads them: the traces endpoint as given, else the
 * base endpoint with `/v1/traces` appended. Also read on its own before the app loads (src/platform/tracing).
 */
export function buildTracingSettings(vars: EnvironmentVariables): TracingSettings | null {
  const tracesUrl =
    vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (vars.OTEL_EXPORTER_OTLP_ENDPOINT ? `${vars.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!tracesUrl) return null;
  const headers: Record<string, string> = {};
  for (const pair of vars.OTEL_EXPORTER_OTLP_HEADERS?.split(',') ?? []) {
    const separator = pair.indexOf('=');
    headers[pair.slice(0, separator)] = decodeURIComponent(pair.slice(separator + 1));
  }
  return { tracesUrl, serviceName: vars.OTEL_SERVICE_NAME, headers };
}

/** Where archives are kept when not on the local disk. */
export interface ArchiveBucket {
  bucket: string;
  endpoint: string | null;
  region: string;
  forcePathStyle: boolean;
  /** Prepended to every object key. */
  prefix: string;
  /** null: the AWS SDK's default credential chain. */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}
