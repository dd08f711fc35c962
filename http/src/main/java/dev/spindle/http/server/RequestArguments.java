package dev.spindle.http.server;

import dev.spindle.http.FormDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arguments of one request, Tornado's {@code RequestHandler.get_argument} family: the
 * query's and, for an {@code application/x-www-form-urlencoded} body, the body's, decoded
 * strictly by {@link FormDecoder} and parsed on first use.
 *
 * <p><b>Loop-confined:</b> owned by one {@link HttpServerRequest}.
 */
final class RequestArguments {
    static final String FORM_TYPE = "application/x-www-form-urlencoded";

    private final HttpServerRequest request;
    /** The query's arguments, decoded strictly; null until first used. Loop-confined. */
    private Map<String, List<String>> query;
    /** The body's arguments; null until first used. Loop-confined. */
    private Map<String, List<String>> body;
    /** Query and body arguments together; null until first used. Loop-confined. */
    private Map<String, List<String>> all;

    RequestArguments(HttpServerRequest request) {
        this.request = request;
    }

    Map<String, List<String>> query() {
        if (query == null) {
            query = FormDecoder.parse(request.query());
        }
        return query;
    }

    /** Parks to read the body if it is a form and was not read yet. */
    Map<String, List<String>> body() {
        if (body == null) {
            body = isForm(request.header("Content-Type")) ? FormDecoder.parse(request.body()) : Map.of();
        }
        return body;
    }

    /** Query arguments first, then body arguments, each name's values in that order. */
    Map<String, List<String>> all() {
        if (all == null) {
            Map<String, List<String>> q = query();
            Map<String, List<String>> b = body();
            all = b.isEmpty() ? q : q.isEmpty() ? b : merge(q, b);
        }
        return all;
    }

    private static Map<String, List<String>> merge(Map<String, List<String>> first, Map<String, List<String>> then) {
        Map<String, List<String>> m = new LinkedHashMap<>(first);
        then.forEach((name, values) -> m.merge(name, values, (a, b) -> {
            List<String> both = new ArrayList<>(a);
            both.addAll(b);
            return Collections.unmodifiableList(both);
        }));
        return Collections.unmodifiableMap(m);
    }

    /** The last value of {@code name} in {@code map}, or null (Tornado returns the last one). */
    static String last(Map<String, List<String>> map, String name) {
        List<String> values = map.get(name);
        return values == null ? null : values.getLast();
    }

    /** Whether a {@code Content-Type} value is {@code application/x-www-form-urlencoded}, parameters aside. */
    static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
        return type.toLowerCase(Locale.ROOT).equals(FORM_TYPE);
    }

    @Override
    public String toString() {
        return "RequestArguments[query " + (query == null ? "unparsed" : query.keySet()) + ", body "
                + (body == null ? "unparsed" : body.keySet()) + "]";
    }
}
