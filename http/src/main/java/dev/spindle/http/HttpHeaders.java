package dev.spindle.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The header (or trailer) fields of an HTTP message: case-insensitive names, several values per
 * name, insertion order kept (Tornado: {@code httputil.HTTPHeaders}).
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@code IOLoop}.
 * Instances are not thread-safe; hand one to another loop only through a future, and stop using it.
 * Instances made by {@link #of} and views made by {@link #unmodifiableView()} reject mutation.
 *
 * {@snippet :
 * HttpHeaders headers = HttpHeaders.create()
 *         .add("Host", "example.com")
 *         .add("Accept", "text/html")
 *         .add("accept", "application/json");
 * headers.get("ACCEPT");      // "text/html"
 * headers.getAll("Accept");   // ["text/html", "application/json"]
 * }
 *
 * <p>Names must be RFC 9110 tokens; values must not contain CR, LF or NUL, which closes the door
 * to header injection. Both are checked on every mutation and rejected with
 * {@link IllegalArgumentException} showing the value. Lookups compare names ignoring ASCII case
 * and keep the spelling of each field as added. {@code toString()} redacts credentials.
 *
 * @since 0.1
 */
public final class HttpHeaders implements Iterable<Map.Entry<String, String>> {
    /*
     * Implementation notes: one array of alternating names and values (OkHttp's Headers),
     * scanned linearly. Messages have few fields, so a scan beats hashing and keeps the order
     * for free. A read-only view has no storage of its own and reads its source's.
     */

    private static final Set<String> REDACTED =
            Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

    /** Names at even indexes, values at odd ones; {@code [0, 2 * size)} in use. Loop-confined. */
    private String[] namesAndValues;
    /** Number of fields in {@link #namesAndValues}. Loop-confined. */
    private int size;
    /** Whose storage this reads: {@code this}, or the instance this is a read-only view of. */
    private final HttpHeaders source;
    /** Whether mutators throw {@link UnsupportedOperationException}. */
    private final boolean readOnly;

    private HttpHeaders(int capacity, boolean readOnly) {
        this.namesAndValues = new String[2 * capacity];
        this.source = this;
        this.readOnly = readOnly;
    }

    private HttpHeaders(HttpHeaders viewed) {
        this.source = viewed;
        this.readOnly = true;
    }

    /** Returns a new, empty, modifiable instance. */
    public static HttpHeaders create() {
        return new HttpHeaders(8, false);
    }

    /**
     * Returns an unmodifiable instance holding the given fields in order.
     *
     * @param namesAndValues name, value, name, value, ...
     * @throws IllegalArgumentException if the count is odd or a name or value is invalid
     */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of names and values: " + namesAndValues.length);
        }
        HttpHeaders h = new HttpHeaders(Math.max(1, namesAndValues.length / 2), false);
        for (int i = 0; i < namesAndValues.length; i += 2) h.add(namesAndValues[i], namesAndValues[i + 1]);
        return new HttpHeaders(h);
    }

    /**
     * Appends a field, keeping any existing ones of that name.
     *
     * @return this
     * @throws IllegalArgumentException if the name is not a token or the value has CR, LF or NUL
     * @throws UnsupportedOperationException if this instance is read-only
     */
    public HttpHeaders add(String name, String value) {
        checkWritable();
        checkName(name);
        checkValue(name, value);
        if (2 * size == namesAndValues.length) namesAndValues = Arrays.copyOf(namesAndValues, 4 * size);
        namesAndValues[2 * size] = name;
        namesAndValues[2 * size + 1] = value;
        size++;
        return this;
    }

    /**
     * Replaces all fields named {@code name} with one field appended at the end.
     *
     * @return this
     * @throws IllegalArgumentException if the name is not a token or the value has CR, LF or NUL
     * @throws UnsupportedOperationException if this instance is read-only
     */
    public HttpHeaders set(String name, String value) {
        checkName(name);
        checkValue(name, value);
        remove(name);
        return add(name, value);
    }

    /**
     * Removes every field named {@code name}.
     *
     * @return whether a field was removed
     * @throws UnsupportedOperationException if this instance is read-only
     */
    public boolean remove(String name) {
        checkWritable();
        Objects.requireNonNull(name, "name");
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (!namesAndValues[2 * i].equalsIgnoreCase(name)) {
                namesAndValues[2 * kept] = namesAndValues[2 * i];
                namesAndValues[2 * kept + 1] = namesAndValues[2 * i + 1];
                kept++;
            }
        }
        boolean removed = kept < size;
        Arrays.fill(namesAndValues, 2 * kept, 2 * size, null);
        size = kept;
        return removed;
    }

    /** Returns the first value of {@code name}, or {@code null} if there is none. */
    public String get(String name) {
        Objects.requireNonNull(name, "name");
        HttpHeaders s = source;
        for (int i = 0; i < s.size; i++) {
            if (s.namesAndValues[2 * i].equalsIgnoreCase(name)) return s.namesAndValues[2 * i + 1];
        }
        return null;
    }

    /** Returns the values of {@code name} in order, possibly none, as an unmodifiable list. */
    public List<String> getAll(String name) {
        Objects.requireNonNull(name, "name");
        HttpHeaders s = source;
        List<String> values = new ArrayList<>(2);
        for (int i = 0; i < s.size; i++) {
            if (s.namesAndValues[2 * i].equalsIgnoreCase(name)) values.add(s.namesAndValues[2 * i + 1]);
        }
        return Collections.unmodifiableList(values);
    }

    /** Returns whether a field named {@code name} exists. */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * Returns whether a comma-separated list field {@code name} has the element {@code token},
     * compared case-insensitively, in any of its fields (RFC 9110 §5.6.1): e.g.
     * {@code hasToken("Connection", "close")} for {@code Connection: keep-alive, Close}.
     */
    public boolean hasToken(String name, String token) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(token, "token");
        HttpHeaders s = source;
        for (int i = 0; i < s.size; i++) {
            if (s.namesAndValues[2 * i].equalsIgnoreCase(name) && listHas(s.namesAndValues[2 * i + 1], token)) {
                return true;
            }
        }
        return false;
    }

    private static boolean listHas(String list, String token) {
        for (int from = 0; from <= list.length(); ) {
            int comma = list.indexOf(',', from);
            int end = comma < 0 ? list.length() : comma;
            if (list.substring(from, end).strip().equalsIgnoreCase(token)) {
                return true;
            }
            from = end + 1;
        }
        return false;
    }

    /**
     * Returns the distinct names in order of first appearance, spelled as first added. The set's
     * own {@code contains} is case-sensitive; use {@link #contains(String)} to look a name up.
     */
    public Set<String> names() {
        Set<String> lower = new HashSet<>();
        Set<String> names = new LinkedHashSet<>();
        HttpHeaders s = source;
        for (int i = 0; i < s.size; i++) {
            String name = s.namesAndValues[2 * i];
            if (lower.add(name.toLowerCase(Locale.ROOT))) names.add(name);
        }
        return Collections.unmodifiableSet(names);
    }

    /** Returns the number of fields (a name with two values counts twice). */
    public int size() {
        return source.size;
    }

    /** Returns whether there are no fields. */
    public boolean isEmpty() {
        return source.size == 0;
    }

    /**
     * Returns the name of field {@code index}, in insertion order.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public String name(int index) {
        return source.namesAndValues[2 * Objects.checkIndex(index, source.size)];
    }

    /**
     * Returns the value of field {@code index}, in insertion order.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public String value(int index) {
        return source.namesAndValues[2 * Objects.checkIndex(index, source.size) + 1];
    }

    /** Returns the fields in order as immutable entries; the iterator does not support remove. */
    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size();
            }

            @Override
            public Map.Entry<String, String> next() {
                if (!hasNext()) throw new NoSuchElementException();
                Map.Entry<String, String> e = Map.entry(name(next), value(next));
                next++;
                return e;
            }
        };
    }

    /** Returns a modifiable copy of these fields. */
    public HttpHeaders copy() {
        HttpHeaders s = source;
        HttpHeaders c = new HttpHeaders(Math.max(8, s.size), false);
        System.arraycopy(s.namesAndValues, 0, c.namesAndValues, 0, 2 * s.size);
        c.size = s.size;
        return c;
    }

    /** Returns a read-only view that shows later changes to this instance. */
    public HttpHeaders unmodifiableView() {
        return readOnly ? this : new HttpHeaders(this);
    }

    /**
     * Returns whether {@code o} holds the same fields in the same order, comparing names
     * ignoring case and values exactly.
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpHeaders other) || other.size() != size()) return false;
        for (int i = 0; i < size(); i++) {
            if (!name(i).equalsIgnoreCase(other.name(i)) || !value(i).equals(other.value(i))) return false;
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < size(); i++) {
            h = 31 * h + name(i).toLowerCase(Locale.ROOT).hashCode();
            h = 31 * h + value(i).hashCode();
        }
        return h;
    }

    /** Returns {@code HttpHeaders[Name: value, ...]}; credentials show as {@code <redacted>}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("HttpHeaders[");
        for (int i = 0; i < size(); i++) {
            if (i > 0) sb.append(", ");
            String name = name(i);
            boolean secret = REDACTED.contains(name.toLowerCase(Locale.ROOT));
            sb.append(name).append(": ").append(secret ? "<redacted>" : value(i));
        }
        return sb.append(readOnly ? "] (read-only)" : "]").toString();
    }

    private void checkWritable() {
        if (readOnly) throw new UnsupportedOperationException("read-only HttpHeaders; copy() it to modify");
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!HttpSyntax.isToken(name)) throw new IllegalArgumentException("invalid header name: " + HttpSyntax.quote(name));
    }

    private static void checkValue(String name, String value) {
        Objects.requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(
                        "invalid value for header " + name + " (CR, LF or NUL): " + HttpSyntax.quote(value));
            }
        }
    }
}
