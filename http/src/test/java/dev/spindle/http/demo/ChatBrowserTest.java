package dev.spindle.http.demo;

import static dev.spindle.http.demo.ChatFixture.FORM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chat in a real browser: headless Chromium from the Debian packages {@code chromium} and
 * {@code chromium-driver} (which {@code .ci/run} installs), driven over the DevTools protocol.
 * Skipped, with the reason in the report, where they are not installed.
 */
@Timeout(240)
class ChatBrowserTest {
    /** A message that would do damage if the page inserted it as HTML. */
    private static final String TEXT = "Hello from page A <img src=x onerror=\"document.title='owned'\"> & <b>bold?</b> é";

    private static String js(String s) {
        return JsonWriter.string(s);
    }

    /** A script that waits, without polling, until a message with {@code text} is in the inbox, and returns what the page shows. */
    private static String untilMessage(String text) {
        return """
                new Promise(resolve => {
                  const inbox = document.getElementById("inbox");
                  const find = () => [...inbox.querySelectorAll(".message")].find(n => n.textContent === %s);
                  const done = n => resolve({text: n.textContent, elements: n.children.length,
                      images: inbox.querySelectorAll("img").length, title: document.title});
                  const now = find();
                  if (now) { done(now); return; }
                  new MutationObserver((changes, observer) => {
                    const n = find();
                    if (n) { observer.disconnect(); done(n); }
                  }).observe(inbox, {childList: true});
                })""".formatted(js(text));
    }

    /** A script that waits, without polling, until the status line contains {@code part}. */
    private static String untilStatus(String part) {
        return """
                new Promise(resolve => {
                  const status = document.getElementById("status");
                  const check = () => status.textContent.includes(%s);
                  if (check()) { resolve(status.textContent); return; }
                  new MutationObserver((changes, observer) => {
                    if (check()) { observer.disconnect(); resolve(status.textContent); }
                  }).observe(status, {childList: true, characterData: true, subtree: true});
                })""".formatted(js(part));
    }

    /*
     * Two pages of the chat in one browser. Both load and park a long poll (the server counts
     * two waiters); a message is typed into page A and sent with Enter; it must appear in page B,
     * as text; B's answer must appear in A. A screenshot of both pages goes to target/chat-two-pages.png. Then the server
     * goes away: page B says so and retries with back-off; a server started again on the same
     * port gets a message, and page B shows it without being reloaded.
     */
    @Test
    void aMessageTypedInOnePageAppearsInTheOther() throws Exception {
        Optional<Path> binary = Chromium.binary();
        Assumptions.assumeTrue(binary.isPresent(), "Chromium is not installed (looked for " + Chromium.BINARIES
                + "): install the Debian packages chromium and chromium-driver, as .ci/run does, to run this test");
        Path target = Path.of("target");
        Files.createDirectories(target);
        ChatFixture f = ChatFixture.start();
        int port = f.port();
        try (Chromium browser = Chromium.start(binary.get(), target)) {
            Chromium.Tab a = browser.open(560, 420);
            Chromium.Tab b = browser.open(560, 420);
            a.load(f.uri("/").toString());
            b.load(f.uri("/").toString());
            f.chat.whenWaiters(2).get(60, TimeUnit.SECONDS); // Both pages hold a long poll.

            a.eval("document.getElementById('message').focus()");
            a.typeAndEnter(TEXT);
            java.util.Map<?, ?> seen = (java.util.Map<?, ?>) b.eval(untilMessage(TEXT));
            assertEquals(TEXT, seen.get("text"));
            assertEquals(java.math.BigDecimal.ZERO, seen.get("elements"), "the text made no elements");
            assertEquals(java.math.BigDecimal.ZERO, seen.get("images"), "no <img> was injected");
            assertEquals("Spindle chat", seen.get("title"), "no script of the message ran");
            assertEquals(TEXT, ((java.util.Map<?, ?>) a.eval(untilMessage(TEXT))).get("text"), "the sender sees it too");
            assertEquals("", a.eval("document.getElementById('message').value"), "the input was cleared");
            b.eval("document.getElementById('message').focus()");
            b.typeAndEnter("Page B here: got it");
            assertEquals("Page B here: got it", ((java.util.Map<?, ?>) a.eval(untilMessage("Page B here: got it"))).get("text"));
            f.chat.whenWaiters(2).get(60, TimeUnit.SECONDS); // Both polling again.
            b.eval(untilStatus("Live"));
            Path shot = target.resolve("chat-two-pages.png");
            sideBySide(a.screenshot(), b.screenshot(), shot);
            System.out.println("screenshot of both pages: " + shot.toAbsolutePath());

            f.close(); // The server goes away...
            assertTrue(((String) b.eval(untilStatus("unreachable"))).contains("retrying in"));
            ChatOptions d = ChatOptions.DEFAULTS;
            f = ChatFixture.start(new ChatOptions(port, InetAddress.getLoopbackAddress(), d.buffer(), d.maxMessage(),
                    Duration.ofSeconds(60))); // ...and comes back on the same port.
            assertEquals(200, f.post("/a/message/new", FORM, "body=back+again").statusCode());
            assertEquals("back again", ((java.util.Map<?, ?>) b.eval(untilMessage("back again"))).get("text"));
            b.eval(untilStatus("Live"));
        } finally {
            f.close();
        }
    }

    /** Writes the two screenshots side by side, with a gray gutter, as one PNG. */
    private static void sideBySide(byte[] left, byte[] right, Path file) throws IOException {
        BufferedImage l = ImageIO.read(new ByteArrayInputStream(left));
        BufferedImage r = ImageIO.read(new ByteArrayInputStream(right));
        int gutter = 12;
        BufferedImage both = new BufferedImage(l.getWidth() + gutter + r.getWidth(), Math.max(l.getHeight(), r.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(l, 0, 0, null);
        g.drawImage(r, l.getWidth() + gutter, 0, null);
        g.dispose();
        ImageIO.write(both, "png", file.toFile());
    }
}
