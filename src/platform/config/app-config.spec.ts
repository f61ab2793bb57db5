import { buildAppConfig, buildTracingSettings } from './app-config';
import { validateEnvironment } from './environment';

const secrets = { jwtSecret: 'x'.repeat(32), secretsKeys: `k1:${Buffer.alloc(32, 1).toString('base64')}` };
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/tenantry',
  JWT_SECRET: secrets.jwtSecret,
  SECRETS_KEYS: secrets.secretsKeys,
  SMTP_URL: 'smtp://mail.example:587',
  PUBLIC_URL: 'https://app.example/',
};

describe('buildAppConfig', () => {
  it('turns self-service registration off in production unless it is asked for', () => {
    expect(buildAppConfig(validateEnvironment(production), 'postgres://db', secrets).provisioning.selfServiceRegistration).toBe(false);
    const optedIn = buildAppConfig(validateEnvironment({ ...production, SELF_SERVICE_REGISTRATION: 'true' }), 'postgres://db', secrets);
    expect(optedIn.provisioning.selfServiceRegistration).toBe(true);
    expect(buildAppConfig(validateEnvironment({}), 'postgres://db', secrets).provisioning.selfServiceRegistration).toBe(true);
  });

  it('offers the configured plans to self-service and builds mail links from PUBLIC_URL without a trailing slash', () => {
    const config = buildAppConfig(
      validateEnvironment({ ...production, SELF_SERVICE_PLANS: 'starter,professional' }),
      'postgres://db',
      secrets,
    );
    expect(config.provisioning.selfServicePlans).toEqual(['starter', 'professional']);
    expect(config.accounts.publicUrl).toBe('https://app.example');
    expect(config.mail.smtpUrl).toBe('smtp://mail.example:587');
  });

  it('serves the docs outside production, in production only when SWAGGER_UI=true, and allows no browser origin unless configured', () => {
    expect(buildAppConfig(validateEnvironment({}), 'postgres://db', secrets).http).toMatchObject({ swaggerUi: true, corsOrigins: [] });
    expect(buildAppConfig(validateEnvironment(production), 'postgres://db', secrets).http.swaggerUi).toBe(false);
    const opened = buildAppConfig(
      validateEnvironment({ ...production, SWAGGER_UI: 'true', CORS_ORIGINS: 'https://a.example,https://b.example' }),
      'postgres://db',
      secrets,
    );
    expect(opened.http).toMatchObject({ swaggerUi: true, corsOrigins: ['https://a.example', 'https://b.example'] });
    expect(() => validateEnvironment({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS must be a comma-separated list of origins/);
  });

  it("registers the control plane's own server for tenant data by default, unless AUTO_REGISTER_DATABASE_SERVER=false", () => {
    expect(buildAppConfig(validateEnvironment(production), 'postgres://db', secrets).database.autoRegisterServer).toBe(true);
    const off = buildAppConfig(validateEnvironment({ ...production, AUTO_REGISTER_DATABASE_SERVER: 'false' }), 'postgres://db', secrets);
    expect(off.database.autoRegisterServer).toBe(false);
    expect(() => validateEnvironment({ AUTO_REGISTER_DATABASE_SERVER: 'yes' })).toThrow(
      /AUTO_REGISTER_DATABASE_SERVER must be true or false/,
    );
  });

  it('traces nothing without an OTLP endpoint; the traces endpoint wins over the base one, which gets /v1/traces', () => {
    expect(buildAppConfig(validateEnvironment({}), 'postgres://db', secrets).tracing).toBeNull();
    expect(buildTracingSettings(validateEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }))).toEqual({
      tracesUrl: 'http://collector:4318/v1/traces',
      serviceName: 'tenantry',
      headers: {},
    });
    const both = validateEnvironment({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp/v1/traces',
      OTEL_SERVICE_NAME: 'tenantry-eu',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D,x-team=ops',
    });
    expect(buildTracingSettings(both)).toEqual({
      tracesUrl: 'https://traces.example/otlp/v1/traces',
      serviceName: 'tenantry-eu',
      headers: { 'x-api-key': 'abc==', 'x-team': 'ops' },
    });
  });

  it('names a bad OTLP setting, never echoing the export headers (they hold API keys)', () => {
    expect(() => validateEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/,
    );
    expect(() => validateEnvironment({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key:secret-key' })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS="\[redacted\]": OTEL_EXPORTER_OTLP_HEADERS must be name=value pairs/,
    );
    expect(() => validateEnvironment({ OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=%zz' })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
  });

  it('observes metrics and meters usage by default, and turns each off alone with METRICS=false or USAGE_METERING=false', () => {
    const defaults = buildAppConfig(validateEnvironment({}), 'postgres://db', secrets);
    expect(defaults.metrics.enabled).toBe(true);
    expect(defaults.usage.metering).toBe(true);
    const noMetrics = buildAppConfig(validateEnvironment({ METRICS: 'false' }), 'postgres://db', secrets);
    expect([noMetrics.metrics.enabled, noMetrics.usage.metering]).toEqual([false, true]);
    const noMetering = buildAppConfig(validateEnvironment({ USAGE_METERING: 'false' }), 'postgres://db', secrets);
    expect([noMetering.metrics.enabled, noMetering.usage.metering]).toEqual([true, false]);
    expect(() => validateEnvironment({ METRICS: 'off' })).toThrow(/METRICS must be true or false/);
    expect(() => validateEnvironment({ USAGE_METERING: 'no' })).toThrow(/USAGE_METERING must be true or false/);
  });

  it('refuses an SMTP_URL that is not smtp(s)', () => {
    expect(() => validateEnvironment({ SMTP_URL: 'http://mail.example' })).toThrow(/SMTP_URL must be an smtp/);
  });
});
