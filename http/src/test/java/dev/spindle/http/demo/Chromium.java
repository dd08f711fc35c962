package dev.spindle.http.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's WebSocket client: the
 * Debian package's browser, started with a fresh profile, nothing downloaded. Tabs are
 * attached in flat mode, so each {@link Tab} sends its commands with its session id.
 */
final class Chromium implements AutoCloseable {
    /** Where the Debian packages {@code chromium} and {@code chromium-driver} put their programs. */
    static final List<Path> BINARIES = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    /** Event waiters by "sessionId method". */
    private final Map<String, CompletableFuture<Map<String, Object>>> events = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, String url) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), new Listener()).join();
    }

    /** The installed browser, if any. */
    static Optional<Path> binary() {
        return BINARIES.stream().filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts {@code binary} headless with a fresh profile under {@code workDir}; its output goes
     * to {@code workDir/chromium.log}.
     */
    static Chromium start(Path binary, Path workDir) throws IOException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        Process p = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line; (line = err.readLine()) != null; ) {
            seen.add(line);
            Matcher m = DEVTOOLS.matcher(line);
            if (m.find()) {
                Path log = workDir.resolve("chromium.log");
                Thread.ofPlatform().daemon().name("chromium-stderr").start(() -> drain(err, log, seen));
                return new Chromium(p, profile, m.group(1));
            }
        }
        p.destroyForcibly();
        throw new IOException("chromium ended without a DevTools address; it said: " + seen);
    }

    private static void drain(BufferedReader err, Path log, List<String> first) {
        try (var out = Files.newBufferedWriter(log)) {
            for (String line : first) {
                out.write(line + "\n");
            }
            for (String line; (line = err.readLine()) != null; ) {
                out.write(line + "\n");
            }
        } catch (IOException e) {
            // The browser is gone; nothing more to keep.
        }
    }

    /** Opens a tab of {@code width} x {@code height} CSS pixels, attached and with page events on. */
    Tab open(int width, int height) {
        String target = (String) call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId");
        String session = (String) call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId");
        Tab tab = new Tab(session);
        tab.call("Page.enable", Map.of());
        tab.call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1,
                "mobile", false));
        return tab;
    }

    /** A tab of this browser. */
    final class Tab {
        private final String session;

        private Tab(String session) {
            this.session = session;
        }

        Map<String, Object> call(String method, Map<String, ?> params) {
            return Chromium.this.call(session, method, params);
        }

        /** Navigates to {@code url} and waits for its load event. */
        void load(String url) {
            CompletableFuture<Map<String, Object>> loaded = event(session, "Page.loadEventFired");
            call("Page.navigate", Map.of("url", url));
            loaded.join();
        }

        /** Evaluates {@code js} in the page, awaiting it if it is a promise, and returns its value. */
        Object eval(String js) {
            Map<String, Object> r = call("Runtime.evaluate", Map.of("expression", js, "awaitPromise", true, "returnByValue", true));
            if (r.get("exceptionDetails") != null) {
                throw new IllegalStateException("the page threw: " + r.get("exceptionDetails"));
            }
            return ((Map<?, ?>) r.get("result")).get("value");
        }

        /** Types {@code text} into the focused element as a user would (IME-style insertion), then presses Enter. */
        void typeAndEnter(String text) {
            call("Input.insertText", Map.of("text", text));
            for (String type : List.of("keyDown", "keyUp")) {
                call("Input.dispatchKeyEvent", Map.of("type", type, "key", "Enter", "code", "Enter",
                        "windowsVirtualKeyCode", 13, "nativeVirtualKeyCode", 13, "text", "\r"));
            }
        }

        byte[] screenshot() {
            return Base64.getDecoder().decode((String) call("Page.captureScreenshot", Map.of("format", "png")).get("data"));
        }
    }

    private Map<String, Object> call(String session, String method, Map<String, ?> params) {
        long id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        pending.put(id, result);
        StringBuilder msg = new StringBuilder("{\"id\":").append(id).append(",\"method\":").append(JsonWriter.string(method));
        if (session != null) {
            msg.append(",\"sessionId\":").append(JsonWriter.string(session));
        }
        json(msg.append(",\"params\":"), params).append('}');
        synchronized (socket) {
            socket.sendText(msg, true).join();
        }
        return result.join();
    }

    private CompletableFuture<Map<String, Object>> event(String session, String method) {
        return events.computeIfAbsent(session + " " + method, k -> new CompletableFuture<>());
    }

    private static StringBuilder json(StringBuilder out, Object v) {
        if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                JsonWriter.appendString(out.append(first ? "" : ","), (String) e.getKey()).append(':');
                json(out, e.getValue());
                first = false;
            }
            return out.append('}');
        } else if (v instanceof String s) {
            return JsonWriter.appendString(out, s);
        }
        return out.append(v); // Numbers and booleans.
    }

    @SuppressWarnings("unchecked")
    private void dispatch(String text) {
        Map<String, Object> msg = (Map<String, Object>) JsonReader.parse(text);
        if (msg.get("id") instanceof BigDecimal id) {
            CompletableFuture<Map<String, Object>> f = pending.remove(id.longValue());
            if (msg.get("error") != null) {
                f.completeExceptionally(new IllegalStateException("DevTools error: " + msg.get("error")));
            } else {
                f.complete((Map<String, Object>) msg.get("result"));
            }
        } else if (msg.get("method") instanceof String method) {
            CompletableFuture<Map<String, Object>> f = events.remove(msg.get("sessionId") + " " + method);
            if (f != null) {
                f.complete((Map<String, Object>) msg.get("params"));
            }
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                dispatch(message);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            socket.abort();
        } finally {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    // Killed with SIGKILL: it is going; the test's timeout bounds the rest.
                }
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (UncheckedIOException | IOException e) {
                // A file the browser still held; the profile lives under target/ anyway.
            }
        }
    }
}
