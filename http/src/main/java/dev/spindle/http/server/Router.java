package dev.spindle.http.server;

import dev.spindle.http.HttpSyntax;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Maps a method and a path to a handler: literal paths through one hash lookup, patterns with
 * parameters in registration order (Tornado's first-match rule). An unknown path gets the 404
 * handler, a known path with another method the 405 handler with an {@code Allow} header. A
 * {@code HEAD} request falls back to the {@code GET} handler.
 *
 * <p><b>Loop-confined:</b> owned by one {@link HttpServer}.
 */
final class Router {
    /** A handler and the decoded path parameters of the request it matched. */
    record Match(HttpHandler handler, Map<String, String> params) {}

    /** The handlers of one path pattern, by method. Loop-confined. */
    private static final class Route {
        final PathPattern pattern;
        /** Handlers by method, in registration order. */
        final Map<String, HttpHandler> handlers = new LinkedHashMap<>();
        /** For literal routes: a ready {@link Match} per method, HEAD included, so a lookup allocates nothing. */
        final Map<String, Match> matches = new HashMap<>();
        /** The 405 match of a literal route. */
        Match notAllowed;

        Route(PathPattern pattern) {
            this.pattern = pattern;
        }

        HttpHandler handler(String method) {
            HttpHandler h = handlers.get(method);
            return h == null && method.equals("HEAD") ? handlers.get("GET") : h;
        }

        void allowed(Set<String> into) {
            into.addAll(handlers.keySet());
            if (handlers.containsKey("GET")) {
                into.add("HEAD");
            }
        }
    }

    static final HttpHandler NOT_FOUND = (request, response) -> response.status(404).send("404: Not Found\n");
    private static final Match NOT_FOUND_MATCH = new Match(NOT_FOUND, Map.of());

    /** Routes of literal paths, by path. Loop-confined. */
    private final Map<String, Route> literal = new HashMap<>();
    /** Routes with parameters, in registration order. Loop-confined. */
    private final List<Route> patterns = new ArrayList<>();
    /** Routes with parameters, by pattern text, to merge methods registered separately. Loop-confined. */
    private final Map<String, Route> byPattern = new HashMap<>();

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException if the method is not a token, the pattern is malformed,
     *     or this method and pattern already have a handler
     */
    void add(String method, String pattern, HttpHandler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        if (!HttpSyntax.isToken(method)) {
            throw new IllegalArgumentException("invalid method: " + HttpSyntax.quote(method));
        }
        PathPattern p = PathPattern.parse(pattern);
        Route route = p.isLiteral()
                ? literal.computeIfAbsent(pattern, k -> new Route(p))
                : byPattern.computeIfAbsent(pattern, k -> {
                    Route r = new Route(p);
                    patterns.add(r);
                    return r;
                });
        if (route.handlers.putIfAbsent(method, handler) != null) {
            throw new IllegalArgumentException(method + " " + pattern + " already has a handler");
        }
        if (p.isLiteral()) {
            prepare(route);
        }
    }

    private static void prepare(Route route) {
        route.matches.clear();
        route.handlers.forEach((m, h) -> route.matches.put(m, new Match(h, Map.of())));
        route.matches.putIfAbsent("HEAD", route.matches.get("GET"));
        route.matches.values().removeIf(Objects::isNull);
        Set<String> allow = new LinkedHashSet<>();
        route.allowed(allow);
        route.notAllowed = methodNotAllowed(allow);
    }

    /** Finds the handler for {@code method} and {@code path}; never null (404 and 405 are handlers too). */
    Match find(String method, String path) {
        Route exact = literal.get(path);
        if (exact != null) {
            Match m = exact.matches.get(method);
            if (m != null) {
                return m;
            } else if (patterns.isEmpty()) {
                return exact.notAllowed;
            }
        }
        Set<String> allow = null;
        for (Route r : patterns) {
            Map<String, String> params = new LinkedHashMap<>(4);
            if (!r.pattern.match(path, params)) {
                continue;
            }
            HttpHandler h = r.handler(method);
            if (h != null) {
                return new Match(h, params);
            }
            allow = allow != null ? allow : new LinkedHashSet<>();
            r.allowed(allow);
        }
        if (exact != null) {
            allow = allow != null ? allow : new LinkedHashSet<>();
            exact.allowed(allow);
        }
        return allow == null ? NOT_FOUND_MATCH : methodNotAllowed(allow);
    }

    private static Match methodNotAllowed(Set<String> allow) {
        String value = String.join(", ", allow);
        return new Match((request, response) -> response.status(405).header("Allow", value)
                .send("405: Method Not Allowed\n"), Map.of());
    }

    /** Number of method and pattern pairs. */
    int size() {
        int n = 0;
        for (Route r : literal.values()) {
            n += r.handlers.size();
        }
        for (Route r : patterns) {
            n += r.handlers.size();
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Router[");
        List<Route> all = new ArrayList<>(literal.values());
        all.addAll(patterns);
        for (int i = 0; i < all.size(); i++) {
            Route r = all.get(i);
            sb.append(i > 0 ? ", " : "").append(String.join("|", r.handlers.keySet())).append(' ').append(r.pattern.pattern());
        }
        return sb.append(']').toString();
    }
}
