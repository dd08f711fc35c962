package dev.spindle.http.examples;

import dev.spindle.http.demo.ConsoleLogHandler;
import dev.spindle.http.demo.ParentWatch;
import dev.spindle.http.server.HttpServer;
import dev.spindle.runtime.IOLoop;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * The hello-world server (Tornado's {@code helloworld.py}): {@code GET /} answers
 * {@code Hello, world}, {@code POST /echo} echoes the request body as {@code text/plain}. Runs
 * until killed; its access log goes through {@link ConsoleLogHandler}, off the loop.
 * <b>Thread-safe:</b> {@link #main} may be called from any thread, and runs the loop on it.
 *
 * <pre>{@code
 * mvn -B -q -DskipTests package exec:exec -Dexample.main=dev.spindle.http.examples.HelloServer
 * mvn -B -q -DskipTests package exec:exec -Dexample.main=dev.spindle.http.examples.HelloServer \
 *     -Dexample.args="8080 0.0.0.0"
 * }</pre>
 */
public final class HelloServer {
    /**
     * The {@code Content-Type} of every {@code /echo} answer: plain text whatever the request
     * declared, since echoing the request's type would let any client make this server answer
     * with a type of its choosing ({@code text/html} included).
     */
    static final String ECHO_TYPE = "text/plain; charset=utf-8";

    private HelloServer() {}

    /**
     * Starts the server.
     *
     * @param args the port (default 8888; 0 for any free port) and the address to bind (default
     *     127.0.0.1), as separate arguments or in one separated by spaces; blanks are ignored
     * @throws java.net.UnknownHostException if the address cannot be resolved
     */
    public static void main(String[] args) throws Exception {
        // exec:exec passes ${example.args} as one argument, possibly empty: split it, drop blanks.
        String[] a = Arrays.stream(args).flatMap(s -> Arrays.stream(s.strip().split("\\s+")))
                .filter(s -> !s.isEmpty()).toArray(String[]::new);
        int port = a.length > 0 ? Integer.parseInt(a[0]) : 8888;
        InetAddress address = InetAddress.getByName(a.length > 1 ? a[1] : "127.0.0.1");

        ConsoleLogHandler.install();
        ParentWatch.startIfRequested();
        IOLoop loop = IOLoop.create();
        HttpServer server = HttpServer.create(loop)
                .get("/", (request, response) -> response.send("Hello, world"))
                .post("/echo", (request, response) -> response.header("Content-Type", ECHO_TYPE).send(request.body()))
                .listen(port, address);
        System.out.println("Listening on http://" + address.getHostAddress() + ":" + server.port() + "/");
        loop.start();
    }
}
