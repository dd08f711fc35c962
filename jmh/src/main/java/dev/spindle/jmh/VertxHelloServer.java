package dev.spindle.jmh;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * Hello world on Vert.x 5 with one event loop ({@code eventLoopPoolSize = 1}; Vert.x accepts on
 * an acceptor thread of its own and serves every connection on that loop), the JDK NIO transport,
 * answering every request with {@code Hello, world}, {@code Date} and {@code Content-Type}. Run by
 * {@link ServerThroughput} in a JVM of its own.
 *
 * <p><b>Thread-safe:</b> {@link #main} may be called from any thread; Vert.x serves on its own
 * event-loop thread.
 */
public final class VertxHelloServer {
    private VertxHelloServer() {}

    /**
     * Serves until standard input closes.
     *
     * @param args the port (default 0: any free one); binds 127.0.0.1
     */
    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(false));
        Buffer hello = Buffer.buffer(HelloResponse.BODY);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096))
                .requestHandler(request -> request.response()
                        .putHeader("Date", HelloResponse.date())
                        .putHeader("Content-Type", HelloResponse.CONTENT_TYPE)
                        .end(hello));
        HttpServer listening = server.listen(ServerControl.port(args), ServerControl.LOOPBACK.getHostAddress())
                .toCompletionStage().toCompletableFuture().join();
        ServerControl.ready(listening.actualPort());
    }
}
