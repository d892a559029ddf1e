package dev.portcullis.proxy.tracing;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.idp.IdentityProvider;
import dev.portcullis.authn.idp.ObservedIdentityProvider;
import dev.portcullis.config.Options.TracingOptions;
import io.netty.handler.codec.http.HttpHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The process's tracer, or nothing. When tracing is off every request gets {@link RequestTrace#NONE}, which records
 * nothing and leaves the client's {@code traceparent} to be passed on unchanged. When on, spans are handed to the
 * SDK's {@link BatchSpanProcessor}, which queues them (dropping when its queue is full) and exports them over
 * OTLP/HTTP on its own thread, so an event loop never waits for the collector.
 */
public final class Tracing implements AutoCloseable {
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("portcullis.route");
    private static final String INSTRUMENTATION = "dev.portcullis.proxy";
    private static final TextMapGetter<HttpHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders carrier) {
            return carrier.names();
        }

        @Override
        public String get(HttpHeaders carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Optional<SdkTracerProvider> provider;
    private final Tracer tracer;

    private Tracing(Optional<SdkTracerProvider> provider) {
        this.provider = provider;
        this.tracer = provider.map(p -> p.get(INSTRUMENTATION)).orElse(null);
    }

    /** Tracing that records nothing. */
    public static Tracing off() {
        return new Tracing(Optional.empty());
    }

    /** Tracing as {@code options} say: {@link #off()} unless an endpoint is set. */
    public static Tracing start(TracingOptions options, String version) {
        requireNonNull(options, "options");
        if (options.tracesEndpoint().isEmpty()) {
            return off();
        }
        OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(options.tracesEndpoint().get().toString());
        options.headers().forEach(exporter::addHeader);
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "portcullis",
                        AttributeKey.stringKey("service.version"), version))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(options.sampleRate())))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
                .build();
        return new Tracing(Optional.of(provider));
    }

    /** Whether spans are recorded at all. */
    public boolean enabled() {
        return provider.isPresent();
    }

    /**
     * The SERVER span of a request, continuing the trace of its {@code traceparent} when it has a valid one. Its
     * name is the method until {@link RequestTrace#route} names the route.
     */
    public RequestTrace startRequest(HttpHeaders headers, String method) {
        if (tracer == null) {
            return RequestTrace.NONE;
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, HEADERS);
        Span span = tracer.spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(AttributeKey.stringKey("http.request.method"), method)
                .startSpan();
        return new RequestTrace(tracer, span, method);
    }

    /**
     * {@code provider} with a CLIENT span around each call ({@code idp redeem} …), child of the span
     * current when the call is made (the request's, see {@link RequestTrace#makeCurrent}); no token
     * or user is put on the span.
     */
    public IdentityProvider traced(IdentityProvider provider) {
        if (tracer == null) {
            return provider;
        }
        return new ObservedIdentityProvider(provider, operation -> {
            Span span = tracer.spanBuilder("idp " + operation).setSpanKind(SpanKind.CLIENT)
                    .setAttribute("portcullis.idp", provider.name()).startSpan();
            return failure -> {
                if (failure != null) {
                    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
                }
                span.end();
            };
        });
    }

    /** Exports what is queued (for up to 5 seconds) and stops the exporter. */
    @Override
    public void close() {
        provider.ifPresent(p -> p.shutdown().join(5, TimeUnit.SECONDS));
    }
}
