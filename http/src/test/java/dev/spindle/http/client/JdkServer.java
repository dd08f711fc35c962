package dev.spindle.http.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JDK's own {@code com.sun.net.httpserver.HttpServer} on 127.0.0.1 and a free port, with the
 * handlers the client tests fetch, or its {@code HttpsServer} ({@code new JdkServer(sslContext)},
 * URLs {@code https://localhost:port}). It counts the connections it saw (by client port). As a
 * JUnit extension ({@code @RegisterExtension final JdkServer server = new JdkServer();}) it runs
 * for each test of the class: started before, closed after.
 *
 * <ul>
 * <li>{@code /hello}: 200, {@code hello}, text/plain
 * <li>{@code /echo}: 200, the request as text: method, target, each header, a blank line, the body
 * <li>{@code /chunked}: 200 with a chunked body of three pieces
 * <li>{@code /gzip}, {@code /deflate}: a compressed body (whatever Accept-Encoding says)
 * <li>{@code /status/N}: status N with body {@code status N} (none for 204 and 304)
 * <li>{@code /redirect/N?to=path}: status N, Location {@code path}
 * <li>{@code /loop}: 302 to itself
 * <li>{@code /hang}: never answers (until the server closes)
 * <li>{@code /tls}: over https, the session's protocol and the SNI host name the client sent
 * </ul>
 */
final class JdkServer implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    static final String GZIP_TEXT = "compressed ".repeat(200);

    /** The https server's context; null for plain http. */
    private final SSLContext sslContext;
    private HttpServer server;
    private ExecutorService executor;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final List<HttpExchange> hanging = new CopyOnWriteArrayList<>();
    /** Completed when the first request to /hang arrives. */
    private final java.util.concurrent.CompletableFuture<Void> hangArrived = new java.util.concurrent.CompletableFuture<>();

    /** A plain http server. */
    JdkServer() {
        this(null);
    }

    /** An https server showing the certificate of {@code sslContext}; null for plain http. */
    JdkServer(SSLContext sslContext) {
        this.sslContext = sslContext;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** Starts it by hand, for use outside the extension; close it after. */
    JdkServer started() throws IOException {
        start();
        return this;
    }

    private void start() throws IOException {
        executor = Executors.newCachedThreadPool();
        clientPorts.clear();
        hanging.clear();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (sslContext == null) {
            server = HttpServer.create(address, 100);
        } else {
            HttpsServer https = HttpsServer.create(address, 100);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext));
            server = https;
        }
        server.setExecutor(executor);
        handle("/hello", x -> reply(x, 200, "hello", Map.of("Content-Type", "text/plain; charset=utf-8")));
        handle("/echo", x -> reply(x, 200, echo(x), Map.of()));
        handle("/chunked", JdkServer::chunked);
        handle("/gzip", x -> compressed(x, "gzip"));
        handle("/deflate", x -> compressed(x, "deflate"));
        handle("/status/", x -> {
            int code = Integer.parseInt(x.getRequestURI().getPath().substring("/status/".length()));
            reply(x, code, code == 204 || code == 304 ? null : "status " + code, Map.of());
        });
        handle("/redirect/", x -> {
            int code = Integer.parseInt(x.getRequestURI().getPath().substring("/redirect/".length()));
            String to = x.getRequestURI().getQuery().substring("to=".length());
            reply(x, code, "moved", Map.of("Location", to));
        });
        handle("/loop", x -> reply(x, 302, "again", Map.of("Location", "/loop")));
        handle("/tls", x -> reply(x, 200, tls((HttpsExchange) x), Map.of()));
        handle("/hang", x -> {
            hanging.add(x);
            hangArrived.complete(null);
        });
        server.start();
    }

    private interface Handler {
        void handle(HttpExchange x) throws IOException;
    }

    private void handle(String path, Handler h) {
        server.createContext(path, (HttpHandler) x -> {
            clientPorts.add(x.getRemoteAddress().getPort());
            x.getRequestBody().readAllBytes();
            h.handle(x);
        });
    }

    String url(String path) {
        return (sslContext == null ? "http://127.0.0.1:" : "https://localhost:") + port() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** A future completed once a request to /hang has arrived. */
    java.util.concurrent.CompletableFuture<Void> hangArrived() {
        return hangArrived;
    }

    /** Connections seen so far: one per client port. */
    int connections() {
        return clientPorts.size();
    }

    private static void reply(HttpExchange x, int code, String body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> x.getResponseHeaders().add(k, v));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        boolean none = body == null || x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(code, none ? -1 : bytes.length);
        if (!none) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
        x.close();
    }

    private static String tls(HttpsExchange x) {
        String sni = ((ExtendedSSLSession) x.getSSLSession()).getRequestedServerNames().stream()
                .map(n -> new String(n.getEncoded(), StandardCharsets.US_ASCII)).findFirst().orElse("none");
        return x.getSSLSession().getProtocol() + " " + sni;
    }

    private static String echo(HttpExchange x) throws IOException {
        StringBuilder sb = new StringBuilder(x.getRequestMethod() + " " + x.getRequestURI() + "\n");
        x.getRequestHeaders().forEach((k, vs) -> vs.forEach(v -> sb.append(k).append(": ").append(v).append('\n')));
        return sb.append('\n').toString();
    }

    private static void chunked(HttpExchange x) throws IOException {
        x.sendResponseHeaders(200, 0);
        try (OutputStream out = x.getResponseBody()) {
            for (String piece : new String[] {"one,", "two,", "three"}) {
                out.write(piece.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    private static void compressed(HttpExchange x, String coding) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream z = coding.equals("gzip") ? new GZIPOutputStream(bytes) : new DeflaterOutputStream(bytes)) {
            z.write(GZIP_TEXT.getBytes(StandardCharsets.UTF_8));
        }
        x.getResponseHeaders().add("Content-Encoding", coding);
        x.getResponseHeaders().add("Accept-Encoding-Seen", String.valueOf(x.getRequestHeaders().getFirst("Accept-Encoding")));
        x.sendResponseHeaders(200, bytes.size());
        try (OutputStream out = x.getResponseBody()) {
            bytes.writeTo(out);
        }
    }

    @Override
    public void close() {
        hanging.forEach(HttpExchange::close);
        server.stop(0);
        executor.shutdownNow();
    }
}
