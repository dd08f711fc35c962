package dev.spindle.http.demo;

import dev.spindle.http.server.HttpHandler;
import dev.spindle.http.server.HttpServerRequest;
import dev.spindle.http.server.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A file of the chat's page (HTML, CSS or script), read once from the classpath when the server
 * starts, so that serving it touches no file on the loop. <b>Thread-safe:</b> may be called
 * from any thread (immutable; the bytes are never written after loading).
 *
 * <p>Every answer forbids content sniffing and allows scripts, styles and requests from the
 * page's own origin only: nothing from a CDN, no inline script.
 */
final class StaticFile implements HttpHandler {
    static final String POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final String name;
    private final byte[] bytes;
    private final String contentType;

    private StaticFile(String name, byte[] bytes, String contentType) {
        this.name = name;
        this.bytes = bytes;
        this.contentType = contentType;
    }

    /**
     * Reads resource {@code name} next to this class.
     *
     * @throws IllegalStateException if the resource is missing
     * @throws UncheckedIOException if it cannot be read
     */
    static StaticFile load(String name, String contentType) {
        Objects.requireNonNull(contentType, "contentType");
        try (InputStream in = StaticFile.class.getResourceAsStream(Objects.requireNonNull(name, "name"))) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing next to " + StaticFile.class.getName()
                        + "; is http/target/classes up to date?");
            }
            return new StaticFile(name, in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    @Override
    public void handle(HttpServerRequest request, HttpServerResponse response) {
        response.header("Content-Type", contentType).header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff").header("Content-Security-Policy", POLICY).send(bytes);
    }

    /** Returns e.g. {@code StaticFile[chat.js, 2140 bytes, text/javascript; charset=utf-8]}. */
    @Override
    public String toString() {
        return "StaticFile[" + name + ", " + bytes.length + " bytes, " + contentType + "]";
    }
}
