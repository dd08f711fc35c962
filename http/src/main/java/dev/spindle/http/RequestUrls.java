package dev.spindle.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks and normalises the URLs of {@link HttpRequest}s.
 *
 * <p><b>Thread-safe:</b> stateless.
 */
final class RequestUrls {
    private RequestUrls() {}

    /**
     * The URL as a {@link URI} in ASCII form (non-ASCII characters percent-encoded), without
     * its fragment.
     *
     * @throws IllegalArgumentException if it is malformed, its scheme is neither {@code http}
     *     nor {@code https}, it has no host, or its port is out of range; the message shows the URL
     */
    static URI parse(String url) {
        Objects.requireNonNull(url, "url");
        URI u;
        try {
            u = new URI(url);
            String ascii = u.toASCIIString();
            if (!ascii.equals(url)) {
                u = new URI(ascii); // Non-ASCII characters were percent-encoded: parse the result.
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL \"" + url + "\": " + e.getMessage(), e);
        }
        String scheme = u.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("URL without a scheme: \"" + url + "\"; write http://host/path");
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            throw new IllegalArgumentException("unsupported URL scheme \"" + scheme + "\" in \"" + url
                    + "\"; the client fetches http:// and https:// URLs only");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("URL without a host: \"" + url + "\"");
        }
        if (u.getPort() == 0 || u.getPort() > 0xFFFF) {
            throw new IllegalArgumentException("port out of range in \"" + url + "\": " + u.getPort());
        }
        if (u.getRawFragment() != null) {
            String ascii = u.toASCIIString(); // A '#' in a valid URI starts the fragment.
            u = URI.create(ascii.substring(0, ascii.indexOf('#')));
        }
        return u;
    }
}
