import { Attributes, context, Context, INVALID_SPAN_CONTEXT, propagation, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * OpenTelemetry traces, on only when an OTLP endpoint is configured (the standard variables
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT; OTEL_SDK_DISABLED=true or
 * OTEL_TRACES_EXPORTER=none turn it off). Off, nothing is registered: the SDK is not even
 * loaded, and every helper here returns after one boolean test without making a span object.
 *
 * On, each process (and each region worker thread, which calls startTracing itself) registers
 * a tracer provider exporting over OTLP/HTTP JSON, the AsyncLocalStorage context manager and
 * the W3C trace context propagator: every HTTP hop of the hub carries `traceparent`
 * (withTraceparent) and every server continues the trace it names (inServerSpan).
 */

let enabled = false;
/** What inSpan hands `work` when off: one object for the process, never one per call. */
const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
let provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> } | undefined;

const TRACER = 'yrd-hub';

/** Whether the environment asks for traces. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
}

export const tracingOn = (): boolean => enabled;

/**
 * Registers tracing for this process or thread when configured; a second call does nothing.
 * `serviceName` is the resource's service.name unless OTEL_SERVICE_NAME says otherwise.
 */
export function startTracing(serviceName: string): void {
  if (enabled || !tracingConfigured()) return;
  // Loaded only when on: an untraced hub does not pay for the SDK's modules.
  const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
  const { resourceFromAttributes, defaultResource } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const tracerProvider = new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes({ 'service.name': process.env.OTEL_SERVICE_NAME || serviceName })),
    // The exporter reads the endpoint, headers and timeout from the standard variables.
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  provider = tracerProvider;
  enabled = true;
}

/** Sends the spans ended so far (tests; a stopping hub). */
export async function flushTracing(): Promise<void> {
  await provider?.forceFlush();
}

/** Flushes and unregisters (a worker thread that stops). */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  if (!stopping) return;
  provider = undefined;
  enabled = false;
  await stopping.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
}

/** `headers` with the current trace's `traceparent` added (the same object when tracing is off). */
export function withTraceparent(headers: Record<string, string>): Record<string, string> {
  if (!enabled) return headers;
  const carrier = { ...headers };
  propagation.inject(context.active(), carrier);
  return carrier;
}

const headerGetter = {
  keys: (carrier: IncomingHttpHeaders) => Object.keys(carrier),
  get: (carrier: IncomingHttpHeaders, key: string) => carrier[key],
};

/**
 * Runs `work` (an HTTP server's handling of one request) in a SERVER span that continues the
 * trace named by the request's `traceparent`, or starts one. The span ends when `work` settles.
 */
export function inServerSpan<T>(name: string, headers: IncomingHttpHeaders, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const parent: Context = headers.traceparent ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT;
  return inSpan(name, SpanKind.SERVER, attributes, work, parent);
}

/** Runs `work` in a span of `kind` under the current one (or `parent`); a thrown error marks it failed. */
export function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  if (!enabled) return work(NO_SPAN);
  return trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Sets attributes on the current span, if tracing is on and there is one. */
export function annotateSpan(attributes: Attributes): void {
  if (!enabled) return;
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** Marks the current span failed with `message` (a region that did not answer, an error outcome). */
export function failSpan(span: Span, message: string): void {
  if (enabled) span.setStatus({ code: SpanStatusCode.ERROR, message });
}

export { SpanKind };
