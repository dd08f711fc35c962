package dev.spindle.http.demo;

import java.util.Objects;

/**
 * One chat message as Tornado's chat demo sends it: {@code id}, {@code body}, and {@code html},
 * the body escaped inside {@code <div class="message" id="m...">}, which that demo's page
 * inserts as is. {@code json} is the message's JSON object, written once when it is posted.
 * <b>Thread-safe:</b> may be called from any thread (immutable).
 *
 * @param id unique in the process's buffer; the cursor of {@code /a/message/updates}
 * @param body the text, as posted
 * @param html {@code body} escaped for HTML, in Tornado's {@code message.html} markup
 * @param json {@code {"id":...,"body":...,"html":...}}
 */
record Message(String id, String body, String html, String json) {
    Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(json, "json");
    }

    /** A message with {@code html} and {@code json} made from {@code id} and {@code body}. */
    static Message of(String id, String body) {
        String html = "<div class=\"message\" id=\"m" + escapeHtml(id) + "\">" + escapeHtml(body) + "</div>";
        return new Message(id, body, html, JsonWriter.object("id", id, "body", body, "html", html));
    }

    /** {@code s} with {@code & < > " '} replaced by character references (Tornado: {@code xhtml_escape}). */
    static String escapeHtml(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            String ref = switch (s.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (ref != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (ref != null) {
                    out.append(ref);
                } else {
                    out.append(s.charAt(i));
                }
            }
        }
        return out == null ? s : out.toString();
    }

    /** Returns e.g. {@code Message[3f9a1c2e-17, 12 chars]}; the text stays out of logs. */
    @Override
    public String toString() {
        return "Message[" + id + ", " + body.length() + " chars]";
    }
}
