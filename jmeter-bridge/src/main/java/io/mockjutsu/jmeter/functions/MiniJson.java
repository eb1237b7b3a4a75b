package io.mockjutsu.jmeter.functions;

import java.util.ArrayList;
import java.util.List;

/**
 * Just enough JSON reading for the sidecar's small control answers ({@code /types}, error
 * bodies). Event and session values are never parsed: they are passed on as the sidecar wrote
 * them, byte for byte.
 */
final class MiniJson {

    private MiniJson() {
    }

    /** The first string value of {@code "name": "..."} anywhere in {@code json}, or null. */
    static String stringField(String json, String name) {
        int at = valueStart(json, name, 0);
        while (at >= 0) {
            if (at < json.length() && json.charAt(at) == '"') {
                int[] end = new int[1];
                String v = readString(json, at, end);
                if (v != null) {
                    return v;
                }
            }
            at = valueStart(json, name, at);
        }
        return null;
    }

    /** The string elements of {@code "name": [ "...", ... ]}, or null. */
    static List<String> stringArrayField(String json, String name) {
        int at = valueStart(json, name, 0);
        if (at < 0 || at >= json.length() || json.charAt(at) != '[') {
            return null;
        }
        List<String> out = new ArrayList<String>();
        int i = skipSpace(json, at + 1);
        int[] end = new int[1];
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c == ']') {
                return out;
            }
            if (c == ',') {
                i = skipSpace(json, i + 1);
                continue;
            }
            if (c != '"') {
                return null;
            }
            String v = readString(json, i, end);
            if (v == null) {
                return null;
            }
            out.add(v);
            i = skipSpace(json, end[0]);
        }
        return null;
    }

    /** Index of the value after {@code "name"} and its colon, searching from {@code from}; -1 if none. */
    private static int valueStart(String json, String name, int from) {
        String quoted = "\"" + name + "\"";
        int i = json.indexOf(quoted, from);
        while (i >= 0) {
            int j = skipSpace(json, i + quoted.length());
            if (j < json.length() && json.charAt(j) == ':') {
                return skipSpace(json, j + 1);
            }
            i = json.indexOf(quoted, i + 1);
        }
        return -1;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /**
     * Reads the JSON string starting at the quote at {@code start}, decoded; end[0] = index
     * after it. Null when the string is unterminated or has a bad {@code \\u} escape.
     */
    static String readString(String s, int start, int[] end) {
        StringBuilder b = new StringBuilder();
        int i = start + 1;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                end[0] = i;
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (i >= s.length()) {
                return null;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n': b.append('\n'); break;
                case 't': b.append('\t'); break;
                case 'r': b.append('\r'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'u':
                    if (i + 4 > s.length()) {
                        return null;
                    }
                    try {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        return null;
                    }
                    i += 4;
                    break;
                default: b.append(e); // \" \\ \/
            }
        }
        return null;
    }
}
