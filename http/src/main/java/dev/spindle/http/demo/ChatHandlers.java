package dev.spindle.http.demo;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.server.HttpServerRequest;
import dev.spindle.http.server.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chat's two message handlers, in the wire format of Tornado's chat demo
 * ({@code MessageNewHandler} and {@code MessageUpdatesHandler}).
 *
 * <p><b>Loop-confined:</b> the handlers run on the server's loop, as coroutines.
 */
final class ChatHandlers {
    static final String JSON = "application/json; charset=utf-8";

    private final MessageBuffer buffer;
    private final ChatOptions options;

    ChatHandlers(MessageBuffer buffer, ChatOptions options) {
        this.buffer = buffer;
        this.options = options;
    }

    /** A reason to answer 400, with the text the client gets. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * {@code POST /a/message/new}: form field {@code body} (or JSON {@code {"body": "..."}}) →
     * {@code {"id", "body", "html"}}; with a form field {@code next}, a redirect there instead,
     * as Tornado's form posts without script get.
     */
    void newMessage(HttpServerRequest request, HttpServerResponse response) {
        String body;
        String next;
        try {
            Map<String, String> fields = fields(request);
            body = checkBody(fields.get("body"));
            next = fields.get("next");
            if (next != null && (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\"))) {
                throw new BadRequest("next must be a path on this server: " + next);
            }
        } catch (BadRequest e) {
            badRequest(response, e.getMessage());
            return;
        }
        Message m = buffer.add(body);
        if (next != null) {
            response.status(302).header("Location", next).send("");
        } else {
            response.header("Content-Type", JSON).send(m.json());
        }
    }

    /**
     * {@code POST /a/message/updates}: form field {@code cursor} (optional) →
     * {@code {"messages": [...]}}, the messages after the cursor, at once or when the next one
     * comes; {@code {"messages": []}} after the longest wait. Nothing is sent to a client that
     * went away meanwhile.
     */
    void updates(HttpServerRequest request, HttpServerResponse response) {
        String cursor;
        try {
            cursor = fields(request).get("cursor");
        } catch (BadRequest e) {
            badRequest(response, e.getMessage());
            return;
        }
        List<Message> messages = buffer.since(cursor);
        if (messages.isEmpty()) {
            messages = buffer.awaitNewer(cursor, options.maxWait(), request.connectionClosed());
            if (messages == null) {
                return; // The client went away: its waiter is already released.
            }
        }
        StringBuilder json = new StringBuilder(32 + 160 * messages.size()).append("{\"messages\":[");
        for (int i = 0; i < messages.size(); i++) {
            json.append(i == 0 ? "" : ",").append(messages.get(i).json());
        }
        response.header("Content-Type", JSON).send(json.append("]}").toString());
    }

    /** The request's fields: its arguments (query and form body), or the members of a JSON object body. */
    private static Map<String, String> fields(HttpServerRequest request) {
        String type = request.header("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return jsonFields(request.bodyText());
        }
        try {
            Map<String, String> last = new HashMap<>();
            request.arguments().forEach((name, values) -> last.put(name, values.getLast())); // As get_argument.
            return last;
        } catch (HttpInputException e) {
            if (e.reason() != HttpInputException.Reason.BAD_FORM_ENCODING) {
                throw e; // 413 and the like: the server answers them.
            }
            throw new BadRequest(e.getMessage());
        }
    }

    private static Map<String, String> jsonFields(String text) {
        Object parsed;
        try {
            parsed = JsonReader.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new BadRequest("the JSON body must be an object, like {\"body\": \"...\"}");
        }
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new BadRequest("JSON member " + JsonWriter.string((String) e.getKey()) + " must be a string");
            }
            fields.put((String) e.getKey(), s);
        }
        return fields;
    }

    private String checkBody(String body) {
        if (body == null) {
            throw new BadRequest("missing field: body");
        }
        String text = body.strip();
        if (text.isEmpty()) {
            throw new BadRequest("empty message: body holds no text");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > options.maxMessage()) {
            throw new BadRequest("message too long: " + bytes + " bytes, the limit is " + options.maxMessage());
        }
        return text;
    }

    private static void badRequest(HttpServerResponse response, String message) {
        response.status(400).header("Content-Type", JSON).send(JsonWriter.object("error", message));
    }

    @Override
    public String toString() {
        return "ChatHandlers[" + buffer + "]";
    }
}
