package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.server.HttpServer;
import dev.spindle.modulepath.HttpOnModulePath;
import dev.spindle.runtime.IOLoop;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP module as a JPMS module: a child JVM with the built {@code dev.spindle.http} and
 * {@code dev.spindle.runtime} on {@code --module-path}, and a client in the unnamed module
 * ({@link HttpOnModulePath}) that serves and fetches one request through exported API only.
 */
@Timeout(120)
class ModulePathTest {

    @Test
    void aServerAndAClientWorkThroughTheExportedApiAndTheCodecStaysInside() throws Exception {
        String modules = location(HttpServer.class) + File.pathSeparator + location(IOLoop.class);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = Files.createTempFile("module-path", ".log");
        String out;
        try {
            Process p = new ProcessBuilder(List.of(java, "--module-path", modules, "--add-modules", "dev.spindle.http",
                    "--add-opens", "java.base/java.lang=dev.spindle.runtime",
                    "-cp", location(HttpOnModulePath.class).toString(), HttpOnModulePath.class.getName()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean exited = p.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                p.destroyForcibly().waitFor();
            }
            out = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(exited, "the child JVM did not exit within 60 s:\n" + out);
            assertEquals(0, p.exitValue(), out);
        } finally {
            Files.deleteIfExists(log);
        }
        assertTrue(out.contains("module dev.spindle.http exports dev.spindle.http, dev.spindle.http.client,"
                + " dev.spindle.http.server\n"), out);
        assertTrue(out.contains("fetched 200 hello from a module"), out);
        assertTrue(out.contains("codec exported to us: false"), out);
        assertTrue(out.contains("runtime internal exported to http: true, to us: false"), out);
        assertTrue(out.contains("codec refused: ") && out.contains("module dev.spindle.http does not export"
                + " dev.spindle.http.codec to unnamed module"), out);
    }

    private static Path location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
