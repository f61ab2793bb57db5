import { NestStartupLinesAtDebug } from './nest-startup-lines.logger';

function recording() {
  const lines: Array<[string, unknown[]]> = [];
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      void lines.push([level, args]);
  const logger = {
    log: record('info'),
    error: record('error'),
    warn: record('warn'),
    debug: record('debug'),
    verbose: record('verbose'),
    fatal: record('fatal'),
  };
  return { lines, logger: new NestStartupLinesAtDebug(logger) };
}

describe('NestStartupLinesAtDebug', () => {
  it("logs Nest's module and route-map lines at debug", () => {
    const { lines, logger } = recording();
    logger.log('Mapped {/health, GET} route', 'RouterExplorer');
    logger.log('HealthController {/health}:', 'RoutesResolver');
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    expect(lines.map(([level]) => level)).toEqual(['debug', 'debug', 'debug']);
    expect(lines[0][1]).toEqual(['Mapped {/health, GET} route', 'RouterExplorer']);
  });

  it("keeps the application's own lines, and every warning and error, at their level", () => {
    const { lines, logger } = recording();
    logger.log('Applied control-plane migrations: Initial', 'ControlPlaneMigrator');
    logger.log('no context');
    logger.warn('slow', 'RouterExplorer');
    logger.error('failed', 'stack', 'InstanceLoader');
    expect(lines.map(([level]) => level)).toEqual(['info', 'info', 'warn', 'error']);
  });
});
