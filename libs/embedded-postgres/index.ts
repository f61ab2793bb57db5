export * from './embedded-postgres-server';
