package dev.spindle.http.client;

import dev.spindle.http.HttpHeaders;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Where a redirect leads, and how the request changes on the way (Tornado:
 * {@code _HTTPConnection._should_follow_redirect} and {@code finish}).
 *
 * <p><b>Thread-safe:</b> stateless.
 *
 * <ul>
 * <li>303 turns any method but HEAD into a GET without body; 301 and 302 turn a POST into a GET
 *     without body (what browsers and Tornado do); 307 and 308 keep method and body.
 * <li>{@code Host} is recomputed; {@code Authorization} and {@code Cookie} are dropped when the
 *     redirect leads to another origin: another scheme ({@code https} to {@code http} or back),
 *     host or port.
 * <li>Redirects between {@code http} and {@code https} are followed both ways (as Tornado and
 *     browsers do); the request's own TLS context, if any, goes along.
 * </ul>
 */
final class Redirects {
    private Redirects() {}

    static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    /**
     * The target of {@code location} relative to {@code from}.
     *
     * @throws IllegalArgumentException if {@code location} is not a valid URI reference
     */
    static URI resolve(URI from, String location) {
        try {
            URI base = from.getRawPath() == null || from.getRawPath().isEmpty()
                    ? new URI(from.getScheme() + "://" + from.getRawAuthority() + "/") : from;
            URI target = base.resolve(new URI(location.strip()));
            String ascii = target.toASCIIString();
            int hash = ascii.indexOf('#');
            return hash < 0 ? target : new URI(ascii.substring(0, hash));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed Location \"" + location + "\": " + e.getMessage(), e);
        }
    }

    /** The request after {@code from} answered {@code code} with a Location resolved to {@code target}. */
    static OutgoingRequest next(OutgoingRequest from, int code, URI target) {
        String method = from.method();
        ByteBuffer body = from.body();
        HttpHeaders headers = from.headers().copy();
        headers.remove("Host");
        if (code == 303 && !method.equals("HEAD") || (code == 301 || code == 302) && method.equals("POST")) {
            method = "GET";
            body = null;
            headers.remove("Content-Type");
            headers.remove("Content-Encoding");
        }
        if (!Origin.of(target, from.sslContext()).equals(from.origin())) {
            headers.remove("Authorization");
            headers.remove("Cookie");
        }
        return new OutgoingRequest(target, target.toASCIIString(), method, headers.unmodifiableView(), body,
                from.sslContext());
    }

    /** Whether the client can follow a redirect to {@code target}: an {@code http} or {@code https} URI with a host. */
    static boolean isHttp(URI target) {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && target.getHost() != null;
    }
}
