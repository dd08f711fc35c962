package dev.spindle.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTest {
    @Test
    void htmlIsTornadosMarkupWithTheBodyEscaped() {
        Message m = Message.of("ab-1", "<script>alert('x') & \"y\"</script>");
        assertEquals("<div class=\"message\" id=\"mab-1\">&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;</div>",
                m.html());
        assertEquals(Map.of("id", "ab-1", "body", m.body(), "html", m.html()), JsonReader.parse(m.json()));
    }

    @Test
    void escapeHtmlReturnsTheSameStringWhenNothingNeedsEscaping() {
        String s = "plain text";
        assertSame(s, Message.escapeHtml(s));
        assertEquals("a&amp;b", Message.escapeHtml("a&b"));
    }

    @Test
    void nullsAreRejectedAndToStringKeepsTheTextOut() {
        assertThrows(NullPointerException.class, () -> new Message(null, "b", "h", "j"));
        assertEquals("Message[ab-1, 6 chars]", Message.of("ab-1", "secret").toString());
    }
}
