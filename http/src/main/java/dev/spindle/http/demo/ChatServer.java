package dev.spindle.http.demo;

import dev.spindle.http.server.HttpServer;
import dev.spindle.http.server.HttpServerOptions;
import dev.spindle.runtime.IOLoop;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A real-time chat over long polling, in the wire format of Tornado's chat demo: the README's
 * main command starts it. Every browser waiting for the next message holds one
 * {@code POST /a/message/updates} request, and on the server that request is one parked
 * coroutine: no thread, a few kilobytes of heap. <b>Thread-safe:</b> {@link #main} may be
 * called from any thread and runs the loop on it; the accessors may be called from any thread,
 * {@link #buffer()}'s methods only on the loop.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests package exec:exec                                  # 127.0.0.1:8888
 * mvn -B -q -DskipTests package exec:exec -Dexample.args="--port 9000 --buffer 50"
 * }</pre>
 *
 * <table class="striped">
 * <caption>Routes</caption>
 * <tr><th>route</th><th>request</th><th>answer</th></tr>
 * <tr><td>{@code GET /}</td><td></td><td>the page; its script and style under {@code /static/}</td></tr>
 * <tr><td>{@code POST /a/message/new}</td><td>form field {@code body}, or JSON
 *     {@code {"body": "..."}}; optional {@code next}</td><td>200 {@code {"id", "body", "html"}}, or 302 to
 *     {@code next}; 400 for a missing, empty or too long body; 413 beyond the request limit</td></tr>
 * <tr><td>{@code POST /a/message/updates}</td><td>form field {@code cursor}, optional: the id of
 *     the last message seen</td><td>200 {@code {"messages": [...]}}, the newer messages, at once or
 *     when the next comes; the whole buffer for an unknown cursor; {@code {"messages": []}} after
 *     {@code --max-wait}</td></tr>
 * </table>
 */
public final class ChatServer {
    private final HttpServer server;
    private final MessageBuffer buffer;
    private final ChatOptions options;

    private ChatServer(HttpServer server, MessageBuffer buffer, ChatOptions options) {
        this.server = server;
        this.buffer = buffer;
        this.options = options;
    }

    /**
     * Runs the chat until the process is stopped. A bad option prints the usage and exits with
     * status 2; {@code --help} prints it and returns.
     *
     * @param args the options, see {@link ChatOptions#USAGE}
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err, () -> {
            ConsoleLogHandler.install();
            ParentWatch.startIfRequested();
        });
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Parses {@code args} and runs the chat on this thread, after {@code setUp} (the process-wide
     * parts: logging, the parent watch).
     *
     * @return the exit status: 0, 1 if it cannot listen, 2 for a bad option
     */
    static int run(String[] args, PrintStream out, PrintStream err, Runnable setUp) {
        if (ChatOptions.wantsHelp(args)) {
            out.println(ChatOptions.USAGE);
            return 0;
        }
        ChatOptions options;
        try {
            options = ChatOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("ChatServer: " + e.getMessage());
            err.println(ChatOptions.USAGE);
            return 2;
        }
        setUp.run();
        IOLoop loop = IOLoop.create();
        ChatServer chat;
        try {
            chat = start(loop, options);
        } catch (UncheckedIOException e) {
            err.println("ChatServer: cannot listen on " + hostPort(options.address(), options.port()) + ": "
                    + e.getCause().getMessage());
            loop.close();
            return 1;
        }
        chat.printBanner(out);
        loop.start();
        return 0;
    }

    /** Prints where the chat runs and how to stop it. */
    private void printBanner(PrintStream out) {
        String wait = java.math.BigDecimal.valueOf(options.maxWait().toMillis(), 3).stripTrailingZeros().toPlainString();
        out.println("Chat running on " + url() + " (" + options.buffer() + " messages kept, long polls wait up to "
                + wait + " s)");
        out.println("Stop it with Ctrl-C (or kill " + ProcessHandle.current().pid() + ").");
        out.flush();
    }

    /**
     * Starts the chat on {@code loop}: routes, and listening on the options' address and port.
     * Call before the loop runs, or on it.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    static ChatServer start(IOLoop loop, ChatOptions options) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(options, "options");
        MessageBuffer buffer = new MessageBuffer(options.buffer());
        ChatHandlers handlers = new ChatHandlers(buffer, options);
        String text = "; charset=utf-8";
        HttpServer server = HttpServer.create(loop, HttpServerOptions.DEFAULTS.withMaxBodySize(options.maxRequestBody()))
                .get("/", StaticFile.load("index.html", "text/html" + text))
                .get("/static/chat.js", StaticFile.load("chat.js", "text/javascript" + text))
                .get("/static/chat.css", StaticFile.load("chat.css", "text/css" + text))
                .get("/favicon.ico", (request, response) -> response.status(204).send(new byte[0])) // Browsers ask.
                .post("/a/message/new", handlers::newMessage)
                .post("/a/message/updates", handlers::updates);
        try {
            server.listen(options.port(), options.address());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return new ChatServer(server, buffer, options);
    }

    /** The page's URL, e.g. {@code http://127.0.0.1:8888/}. */
    String url() {
        return "http://" + hostPort(options.address(), server.port()) + "/";
    }

    private static String hostPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    HttpServer server() {
        return server;
    }

    /** The messages and the parked long polls; loop-confined. */
    MessageBuffer buffer() {
        return buffer;
    }

    /** A future completed when exactly {@code count} long polls are parked; thread-safe, for tests. */
    CompletableFuture<Void> whenWaiters(int count) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!server.loop().runOnLoop(() -> buffer.whenWaiters(count).whenComplete((v, e) -> result.complete(null)))) {
            result.completeExceptionally(new IllegalStateException(server.loop() + " is closed"));
        }
        return result;
    }

    /** Returns e.g. {@code ChatServer[http://127.0.0.1:8888/, MessageBuffer[12 of 200 messages, waiters=3]]}. */
    @Override
    public String toString() {
        return "ChatServer[" + url() + ", " + buffer + "]";
    }
}
