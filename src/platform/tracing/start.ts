import { startProcessTracing } from './process-tracing';

// Imported first by src/main.ts, so tracing starts before the app's modules are loaded.
startProcessTracing();
