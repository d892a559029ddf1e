package dev.portcullis.proxy.stage;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.route.RouteEntry;

/** What a stage decided about a request. */
public sealed interface Step {
    /** Go on with the next stage. */
    Step NEXT = new Next();

    /** The answer is the next stage's to give. */
    record Next() implements Step {}

    /** The proxy answers the request itself. */
    record Answer(Reply reply) implements Step {
        public Answer {
            requireNonNull(reply, "reply");
        }
    }

    /** The request goes to the route's upstream, and the upstream's response back to the client. */
    record Forward(RouteEntry route) implements Step {
        public Forward {
            requireNonNull(route, "route");
        }
    }

    /**
     * A WebSocket upgrade goes to the route's upstream; when the upstream switches protocols, both
     * connections become one byte pipe.
     *
     * @param upgrade the {@code Upgrade} value to pass on ({@code websocket})
     */
    record Tunnel(RouteEntry route, String upgrade) implements Step {
        public Tunnel {
            requireNonNull(route, "route");
            requireNonNull(upgrade, "upgrade");
        }
    }

    /**
     * A {@code CONNECT} to a TCP route, allowed by its policy: the proxy connects to the route's
     * {@code tcp://} upstream, answers {@code 200}, and both connections become one byte pipe.
     */
    record Connect(RouteEntry route) implements Step {
        public Connect {
            requireNonNull(route, "route");
        }
    }

    static Step answer(Reply reply) {
        return new Answer(reply);
    }
}
