package dev.spindle.modulepath;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpResponse;
import dev.spindle.http.client.AsyncHttpClient;
import dev.spindle.http.server.HttpServer;
import dev.spindle.runtime.IOLoop;
import java.io.IOException;
import java.lang.module.ModuleReader;
import java.lang.module.ResolvedModule;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Code outside Spindle's modules (in the unnamed module, with {@code dev.spindle.http} and
 * {@code dev.spindle.runtime} on the module path) serving and fetching one request through the
 * exported API, then trying the packages the modules do not export to it. Prints one line per
 * finding.
 */
public final class HttpOnModulePath {
    private HttpOnModulePath() {}

    public static void main(String[] args) throws Exception {
        Module http = HttpServer.class.getModule();
        System.out.println("module " + http.getName() + " exports " + http.getDescriptor().exports().stream()
                .map(Object::toString).sorted().collect(Collectors.joining(", ")));
        try (IOLoop loop = IOLoop.create()) {
            String body = loop.runSync(() -> {
                HttpServer server = HttpServer.create(loop)
                        .get("/", (request, response) -> response.send("hello from a module"))
                        .listen(0, InetAddress.getLoopbackAddress());
                try {
                    HttpResponse r = await(AsyncHttpClient.create(loop).fetch("http://127.0.0.1:" + server.port() + "/"));
                    return r.code() + " " + r.bodyText();
                } finally {
                    server.close();
                }
            });
            System.out.println("fetched " + body);
        }
        Module unnamed = HttpOnModulePath.class.getModule();
        System.out.println("codec exported to us: " + http.isExported("dev.spindle.http.codec", unnamed));
        System.out.println("runtime internal exported to http: "
                + IOLoop.class.getModule().isExported("dev.spindle.runtime.internal", http)
                + ", to us: " + IOLoop.class.getModule().isExported("dev.spindle.runtime.internal", unnamed));
        System.out.println("codec " + tryPublicCodecClass());
    }

    /** Reflectively calls a public static method of a public codec class, which must fail. */
    private static String tryPublicCodecClass() throws IOException, ReflectiveOperationException {
        ResolvedModule m = ModuleLayer.boot().configuration().findModule("dev.spindle.http").orElseThrow();
        List<String> names;
        try (ModuleReader reader = m.reference().open()) {
            names = reader.list().filter(n -> n.matches("dev/spindle/http/codec/[A-Za-z0-9]+\\.class"))
                    .map(n -> n.replace('/', '.').replace(".class", "")).sorted().toList();
        }
        for (String name : names) {
            Class<?> c = Class.forName(name);
            if (!Modifier.isPublic(c.getModifiers())) {
                continue;
            }
            for (var method : c.getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) && method.getDeclaringClass() == c) {
                    try {
                        method.invoke(null, new Object[method.getParameterCount()]);
                        return "reachable: " + method;
                    } catch (IllegalAccessException e) {
                        return "refused: " + e.getMessage();
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        return "reachable: " + method + " threw " + e.getCause();
                    }
                }
            }
        }
        return "has no public static method to try among " + names;
    }
}
