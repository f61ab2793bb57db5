import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { TracingSettings } from '../config/app-config';
import { isUntracedRequest } from './untraced-requests';
import { redactQueryTextSecrets } from './query-text-redaction';

export interface RunningTracer {
  /** Exports the spans still buffered, then stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * The OpenTelemetry SDK of this process: spans batched and posted as OTLP/JSON, W3C `traceparent`
 * read from incoming requests and written on outgoing ones (trace context only, no baggage: a
 * caller's baggage has no business reaching a customer's REST API), and the http and pg
 * instrumentations. The only file that loads the SDK; required only when tracing is configured,
 * before the modules it instruments are.
 */
export function startTracerProvider(settings: TracingSettings): RunningTracer {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({
    // process.pid tells the WEB_CONCURRENCY workers apart (the conventions' name; its constant is still "incubating").
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName, 'process.pid': process.pid }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.tracesUrl, headers: settings.headers }) })],
  });
  trace.setGlobalTracerProvider(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: isUntracedRequest }),
      // Only queries made on behalf of something traced: pg-boss's polling would otherwise start a trace every few seconds.
      new PgInstrumentation({ requireParentSpan: true, requestHook: (span, { query }) => redactQueryTextSecrets(span, query.text) }),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
