package io.mockjutsu.jmeter.functions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One answer of the sidecar's {@code POST /pools/{name}/take?n=K}:
 * {@code {"status":"ok","pool":"users","recyclable":false,"items":[...],"exhausted":false}}.
 *
 * <p>Only the top-level fields are read; the items are kept as the sidecar wrote them (JSON text,
 * byte for byte), except that a string item is decoded to its characters, so that a pool of
 * e-mail addresses gives plain addresses. Nested objects may hold keys called {@code items} or
 * {@code exhausted}: they are never mistaken for the top-level ones.
 */
final class PoolDraw {

    /** Each item as the function returns it. */
    final List<String> items;
    /** A non-recyclable pool has nothing left after this draw (its items are still valid). */
    final boolean exhausted;
    final boolean recyclable;
    /** Why a draw got nothing (the sidecar's 410 message), else null. */
    final String message;
    /**
     * The pool index of each item (a take with {@code holder} from a non-recyclable pool), what
     * {@code POST /pools/{name}/return} takes back; null when the answer has none.
     */
    final long[] tickets;

    PoolDraw(List<String> items, boolean exhausted, boolean recyclable) {
        this(items, exhausted, recyclable, null, null);
    }

    private PoolDraw(List<String> items, boolean exhausted, boolean recyclable, String message, long[] tickets) {
        this.items = items;
        this.exhausted = exhausted;
        this.recyclable = recyclable;
        this.message = message;
        this.tickets = tickets;
    }

    /** A draw that got nothing: the pool is exhausted, for the reason given (the sidecar's message). */
    static PoolDraw none(String message) {
        return new PoolDraw(Collections.<String>emptyList(), true, false, message, null);
    }

    /**
     * Parses a take answer.
     *
     * @throws IllegalArgumentException when {@code json} is not an object with an {@code items}
     *         array and a boolean {@code exhausted} (the message says what is wrong)
     */
    static PoolDraw parse(String json) {
        int i = skipSpace(json, 0);
        expect(json, i, '{');
        i = skipSpace(json, i + 1);
        List<String> items = null;
        Boolean exhausted = null;
        boolean recyclable = false;
        long[] tickets = null;
        if (i < json.length() && json.charAt(i) == '}') {
            i = json.length();
        }
        while (i < json.length()) {
            expect(json, i, '"');
            int[] end = new int[1];
            String key = readString(json, i, end);
            i = skipSpace(json, end[0]);
            expect(json, i, ':');
            i = skipSpace(json, i + 1);
            if ("items".equals(key)) {
                expect(json, i, '[');
                items = new ArrayList<String>();
                i = skipSpace(json, i + 1);
                if (i < json.length() && json.charAt(i) == ']') {
                    i++;
                } else {
                    while (true) {
                        int valueEnd = skipValue(json, i);
                        items.add(json.charAt(i) == '"' ? readString(json, i, end) : json.substring(i, valueEnd));
                        i = skipSpace(json, valueEnd);
                        if (i < json.length() && json.charAt(i) == ',') {
                            i = skipSpace(json, i + 1);
                            continue;
                        }
                        expect(json, i, ']');
                        i++;
                        break;
                    }
                }
            } else if ("tickets".equals(key)) {
                expect(json, i, '[');
                int valueEnd = skipValue(json, i);
                tickets = parseTickets(json.substring(i + 1, valueEnd - 1));
                i = valueEnd;
            } else if ("exhausted".equals(key) || "recyclable".equals(key)) {
                boolean value;
                if (json.startsWith("true", i)) {
                    value = true;
                    i += 4;
                } else if (json.startsWith("false", i)) {
                    value = false;
                    i += 5;
                } else {
                    throw new IllegalArgumentException("\"" + key + "\" is not true or false at character " + i);
                }
                if ("exhausted".equals(key)) {
                    exhausted = value;
                } else {
                    recyclable = value;
                }
            } else {
                i = skipValue(json, i);
            }
            i = skipSpace(json, i);
            if (i < json.length() && json.charAt(i) == ',') {
                i = skipSpace(json, i + 1);
                continue;
            }
            expect(json, i, '}');
            i = json.length();
        }
        if (items == null || exhausted == null) {
            throw new IllegalArgumentException("expected {\"items\":[...],\"exhausted\":true|false}, got no "
                    + (items == null ? "items array" : "exhausted flag"));
        }
        if (tickets != null && tickets.length != items.size()) {
            throw new IllegalArgumentException(tickets.length + " tickets for " + items.size() + " items");
        }
        return new PoolDraw(Collections.unmodifiableList(items), exhausted.booleanValue(), recyclable, null, tickets);
    }

    /** The integers of a tickets array's inside ("3, 4,5"). */
    private static long[] parseTickets(String inside) {
        String t = inside.trim();
        if (t.length() == 0) {
            return new long[0];
        }
        String[] parts = t.split(",");
        long[] out = new long[parts.length];
        for (int k = 0; k < parts.length; k++) {
            try {
                out[k] = Long.parseLong(parts[k].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ticket " + (k + 1) + " is not an integer: '" + parts[k].trim() + "'");
            }
            if (out[k] < 0) {
                throw new IllegalArgumentException("ticket " + (k + 1) + " is negative: " + out[k]);
            }
        }
        return out;
    }

    private static void expect(String s, int i, char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at character " + i + " but "
                    + (i >= s.length() ? "the text ends" : "found '" + s.charAt(i) + "'"));
        }
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\r' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** Index after the JSON value starting at {@code start} (strings, nesting, literals). */
    static int skipValue(String s, int start) {
        if (start >= s.length()) {
            throw new IllegalArgumentException("a value is missing at character " + start);
        }
        char c = s.charAt(start);
        if (c == '"') {
            int[] end = new int[1];
            readString(s, start, end);
            return end[0];
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            int i = start;
            while (i < s.length()) {
                char d = s.charAt(i);
                if (d == '"') {
                    int[] end = new int[1];
                    readString(s, i, end);
                    i = end[0];
                    continue;
                }
                if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
                i++;
            }
            throw new IllegalArgumentException("unterminated " + (c == '{' ? "object" : "array") + " at character " + start);
        }
        int i = start;
        while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        if (i == start) {
            throw new IllegalArgumentException("unexpected '" + c + "' at character " + start);
        }
        return i;
    }

    /** The JSON string at the quote at {@code start}, decoded; end[0] = index after it. */
    static String readString(String s, int start, int[] end) {
        String value = MiniJson.readString(s, start, end);
        if (value == null) {
            throw new IllegalArgumentException("unterminated string or bad \\u escape in the string at character " + start);
        }
        return value;
    }
}
