package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.access.AccessGate;
import dev.portcullis.proxy.failure.ProxyFailure;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions about a request, in order: {@code reject → own endpoints → route → session →
 * authorize → act}; for a {@code CONNECT} (a TCP route's tunnel), {@code reject → connect route →
 * session → authorize → act}, since a tunnel is never for one of the proxy's own paths nor for an
 * HTTP route. Runs them until one answers, forwards or tunnels; a stage that completes at
 * once leads to the next on the same call, one that completes later resumes on the request's event
 * loop. A stage that fails is the proxy's own fault: {@code 500} with the stack trace in the log
 * (the stages answer their expected failures themselves, the gate's failing closed with a deny).
 */
public final class Stages {
    static final CompletionStage<Step> NEXT = CompletableFuture.completedFuture(Step.NEXT);
    private static final Logger log = LoggerFactory.getLogger(Stages.class);

    private final List<Stage> stages;
    private final List<Stage> connectStages;

    Stages(List<Stage> stages, List<Stage> connectStages) {
        this.stages = List.copyOf(stages);
        this.connectStages = List.copyOf(connectStages);
    }

    /** The proxy's decisions, asking {@code gate} whether a request may use its route. */
    public static Stages standard(AccessGate gate) {
        requireNonNull(gate, "gate");
        Stage reject = new RejectStage();
        Stage session = new SessionStage();
        Stage authorize = new AuthorizeStage(gate);
        Stage act = new ActStage();
        return new Stages(List.of(reject, new OwnEndpointsStage(), new RouteStage(), session, authorize, act),
                List.of(reject, new ConnectRouteStage(), session, authorize, act));
    }

    /** What is to be done with {@code exchange}: never {@link Step.Next}, never a failed stage. */
    public CompletionStage<Step> decide(Exchange exchange) {
        return from(exchange.received().method().equals(RejectStage.CONNECT) ? connectStages : stages, 0, exchange);
    }

    private CompletionStage<Step> from(List<Stage> stages, int index, Exchange exchange) {
        for (int i = index; i < stages.size(); i++) {
            CompletableFuture<Step> step;
            try {
                step = stages.get(i).apply(exchange).toCompletableFuture();
            } catch (RuntimeException e) {
                step = CompletableFuture.failedFuture(e);
            }
            if (!step.isDone()) {
                int next = i + 1;
                return exchange.resumed(step).handle((done, failure) -> failure != null
                                ? CompletableFuture.completedFuture(failed(exchange, failure))
                                : done instanceof Step.Next ? from(stages, next, exchange) : CompletableFuture.completedFuture(done))
                        .thenCompose(stage -> stage);
            }
            if (step.isCompletedExceptionally()) {
                return CompletableFuture.completedFuture(failed(exchange, step.handle((v, e) -> e).join()));
            }
            Step done = step.join();
            if (!(done instanceof Step.Next)) {
                return step;
            }
        }
        return CompletableFuture.completedFuture(failed(exchange, new IllegalStateException("no stage answered")));
    }

    private static Step failed(Exchange exchange, Throwable failure) {
        log.error("request {}: deciding it failed", exchange.requestId(), failure);
        return Step.answer(Reply.failure(ProxyFailure.INTERNAL_ERROR));
    }
}
