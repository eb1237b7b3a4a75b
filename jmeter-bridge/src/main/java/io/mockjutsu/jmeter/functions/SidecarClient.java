package io.mockjutsu.jmeter.functions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Minimal HTTP client of the mockjutsu sidecar: JDK only ({@link HttpURLConnection}), explicit
 * timeouts, bodies always drained and closed so that keep-alive reuses the connection. Stateless;
 * safe to call from many threads at once.
 */
final class SidecarClient {

    static final Charset UTF8 = Charset.forName("UTF-8");
    private static final int BUFFER = 64 * 1024;

    private SidecarClient() {
    }

    /** One successful batch: items {@code from .. from+items.size()-1} of the stream. */
    static final class Batch {
        final List<String> items;

        Batch(List<String> items) {
            this.items = items;
        }
    }

    /**
     * {@code GET /sessions/{key}/batch?n=..&unit=..&from=..&format=ndjson[&seed=..][&type=..][&users=..][&start=..]}: items
     * {@code from .. from+n-1} of the key's stream. Idempotent thanks to {@code from}: a batch
     * that failed mid-transfer is simply asked again.
     */
    static Batch batch(Settings s, String key, String type, String unit, long from, int n)
            throws SidecarException {
        StringBuilder path = new StringBuilder(128);
        path.append("/sessions/").append(encodePathSegment(key)).append("/batch");
        String shownPath = path.toString();
        path.append("?n=").append(n).append("&unit=").append(unit).append("&from=").append(from)
                .append("&format=ndjson");
        if (s.seed.length() > 0) {
            path.append("&seed=").append(encodeQuery(s.seed));
        }
        if (!ThreadState.DEFAULT_TYPE.equals(type)) {
            path.append("&type=").append(encodeQuery(type));
        }
        if (s.envelope.length() > 0) {
            path.append("&envelope=").append(encodeQuery(s.envelope));
        }
        if (s.users.length() > 0) {
            path.append("&users=").append(encodeQuery(s.users));
        }
        if (s.start.length() > 0) {
            path.append("&start=").append(encodeQuery(s.start));
        }
        Response r = get(s, path.toString(), shownPath, "application/x-ndjson");
        if (r.status != 200) {
            throw httpError(s, r, shownPath);
        }
        if (r.contentType == null || r.contentType.indexOf("ndjson") < 0) {
            throw new SidecarException(prefix(s) + "unexpected Content-Type '" + r.contentType
                    + "' (expected application/x-ndjson; does mockjutsu.url point to a mockjutsu sidecar?)"
                    + suffix(shownPath));
        }
        List<String> items = splitLines(r.body);
        if (items.isEmpty()) {
            throw new SidecarException(prefix(s) + "empty batch" + suffix(shownPath));
        }
        // The next cursor is from + items.size() (what X-Mockjutsu-Next says too): counting what
        // actually arrived can never skip an item.
        return new Batch(items);
    }

    /**
     * {@code GET /mock-event/{name}?count=..&from=..&partition=..&format=ndjson[&seed=..]}: mock
     * events {@code from .. from+n-1} (0-based) of the schema registered as {@code name}, in the
     * partition {@code key}. Stateless on the sidecar: asking again gives the same bytes.
     */
    static Batch mockEvents(Settings s, String key, String name, long from, int n) throws SidecarException {
        String shownPath = "/mock-event/" + encodePathSegment(name);
        StringBuilder path = new StringBuilder(128).append(shownPath);
        path.append("?count=").append(n).append("&from=").append(from).append("&partition=").append(encodeQuery(key))
                .append("&format=ndjson");
        if (s.seed.length() > 0) {
            path.append("&seed=").append(encodeQuery(s.seed));
        }
        if (s.envelope.length() > 0) {
            path.append("&envelope=").append(encodeQuery(s.envelope));
        }
        if (s.mode.length() > 0) {
            path.append("&mode=").append(encodeQuery(s.mode));
        }
        Response r = get(s, path.toString(), shownPath, "application/x-ndjson");
        if (r.status != 200) {
            throw httpError(s, r, shownPath);
        }
        if (r.contentType == null || r.contentType.indexOf("ndjson") < 0) {
            throw new SidecarException(prefix(s) + "unexpected Content-Type '" + r.contentType
                    + "' (expected application/x-ndjson; does mockjutsu.url point to a mockjutsu sidecar?)" + suffix(shownPath));
        }
        List<String> items = splitLines(r.body);
        if (items.size() != n) {
            throw new SidecarException(prefix(s) + "expected " + n + " mock events, got " + items.size() + suffix(shownPath));
        }
        return new Batch(items);
    }

    /** {@code GET /types}: the types the sidecar serves. */
    static Set<String> types(Settings s) throws SidecarException {
        Response r = get(s, "/types", "/types", "application/json");
        if (r.status != 200) {
            throw httpError(s, r, "/types");
        }
        String body = new String(r.body, UTF8);
        List<String> types = MiniJson.stringArrayField(body, "types");
        if (types == null) {
            throw new SidecarException(prefix(s) + "GET /types answered without a \"types\" list: " + abbreviate(body));
        }
        return Collections.unmodifiableSet(new LinkedHashSet<String>(types));
    }

    /**
     * {@code POST /pools/{name}/take?n=..}: up to n items of a pool, allocated by the sidecar (each
     * item of a non-recyclable pool to exactly one caller). Not idempotent: a draw whose answer is
     * lost is lost (its items are never handed out again). 410 (nothing left) is an exhausted
     * draw with no items; any other failure throws.
     */
    static PoolDraw take(Settings s, String pool, int n) throws SidecarException {
        return take(s, pool, n, null);
    }

    /**
     * {@code POST /pools/{name}/take?n=..&holder=..}: as {@link #take(Settings, String, int)}; with
     * a holder, a non-recyclable pool also answers the items' tickets, so that the holder can give
     * back the items it did not use ({@link #giveBack}).
     */
    static PoolDraw take(Settings s, String pool, int n, String holder) throws SidecarException {
        String shownPath = "/pools/" + encodePathSegment(pool) + "/take";
        String query = "?n=" + n + (holder == null ? "" : "&holder=" + encodeQuery(holder));
        Response r = send(s, "POST", shownPath + query, shownPath, "application/json", null);
        if (r.status == 410) {
            String message = MiniJson.stringField(new String(r.body, UTF8), "message");
            return PoolDraw.none(prefix(s) + (message != null ? message
                    : "pool \"" + pool + "\" is exhausted (HTTP 410)") + suffix("POST", shownPath));
        }
        if (r.status != 200) {
            throw httpError(s, r, "POST", shownPath);
        }
        String body = new String(r.body, UTF8);
        try {
            return PoolDraw.parse(body);
        } catch (IllegalArgumentException e) {
            throw new SidecarException(prefix(s) + "unexpected answer (" + e.getMessage() + "): " + abbreviate(body)
                    + suffix("POST", shownPath));
        }
    }

    /**
     * {@code POST /pools/{name}/return} with {@code {"holder":..,"tickets":[..]}}: gives back items
     * {@code holder} took and did not use; the sidecar hands them out again first. All or
     * nothing: the sidecar refuses (409) a ticket the holder does not hold. Returns how many
     * items went back.
     */
    static int giveBack(Settings s, String pool, String holder, long[] tickets, int from, int to) throws SidecarException {
        String shownPath = "/pools/" + encodePathSegment(pool) + "/return";
        StringBuilder body = new StringBuilder(32 + 8 * (to - from));
        body.append("{\"holder\":\"").append(holder).append("\",\"tickets\":[");
        for (int i = from; i < to; i++) {
            body.append(i == from ? "" : ",").append(tickets[i]);
        }
        body.append("]}");
        Response r = send(s, "POST", shownPath, shownPath, "application/json", body.toString().getBytes(UTF8));
        if (r.status != 200) {
            throw httpError(s, r, "POST", shownPath);
        }
        return to - from;
    }

    // ------------------------------------------------------------------ HTTP

    private static final class Response {
        int status;
        String contentType;
        byte[] body;
    }

    private static Response get(Settings s, String pathAndQuery, String shownPath, String accept)
            throws SidecarException {
        return send(s, "GET", pathAndQuery, shownPath, accept, null);
    }

    /** One request; {@code body} (JSON) may be null. */
    private static Response send(Settings s, String method, String pathAndQuery, String shownPath, String accept, byte[] body)
            throws SidecarException {
        HttpURLConnection conn = null;
        try {
            URL url = new URL(s.url + pathAndQuery);
            // The sidecar is part of the load generator, not of the system under test: JMeter's
            // proxy settings (-H/-P) are not applied to it.
            conn = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
            conn.setRequestMethod(method);
            conn.setConnectTimeout(s.timeoutMs);
            conn.setReadTimeout(s.timeoutMs);
            conn.setUseCaches(false);
            conn.setInstanceFollowRedirects(false);
            conn.setRequestProperty("Accept", accept);
            if (s.token.length() > 0) {
                conn.setRequestProperty("Authorization", "Bearer " + s.token);
            }
            if (body != null) {
                conn.setDoOutput(true);
                conn.setRequestProperty("Content-Type", "application/json");
                conn.setFixedLengthStreamingMode(body.length);
                java.io.OutputStream out = conn.getOutputStream();
                try {
                    out.write(body);
                } finally {
                    out.close();
                }
            }
            Response r = new Response();
            r.status = conn.getResponseCode();
            r.contentType = conn.getContentType();
            InputStream in = r.status >= 400 ? conn.getErrorStream() : conn.getInputStream();
            r.body = in == null ? new byte[0] : drain(in);
            return r;
        } catch (SocketTimeoutException e) {
            disconnect(conn);
            throw new SidecarException(prefix(s) + "no answer within " + s.timeoutMs
                    + " ms (mockjutsu.timeout_ms)" + suffix(method, shownPath), e);
        } catch (ConnectException e) {
            disconnect(conn);
            throw new SidecarException(prefix(s) + "cannot connect (" + e.getMessage()
                    + "); is `mockjutsu serve` running there?" + suffix(method, shownPath), e);
        } catch (UnknownHostException e) {
            disconnect(conn);
            throw new SidecarException(prefix(s) + "unknown host " + e.getMessage() + suffix(method, shownPath), e);
        } catch (IOException e) {
            disconnect(conn);
            throw new SidecarException(prefix(s) + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + suffix(method, shownPath), e);
        } catch (RuntimeException e) { // e.g. malformed mockjutsu.url
            disconnect(conn);
            throw new SidecarException(prefix(s) + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + suffix(method, shownPath), e);
        }
    }

    private static byte[] drain(InputStream in) throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(BUFFER);
            byte[] buf = new byte[BUFFER];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            in.close();
        }
    }

    private static void disconnect(HttpURLConnection conn) {
        if (conn != null) {
            conn.disconnect();
        }
    }

    private static SidecarException httpError(Settings s, Response r, String shownPath) {
        return httpError(s, r, "GET", shownPath);
    }

    private static SidecarException httpError(Settings s, Response r, String method, String shownPath) {
        String body = new String(r.body == null ? new byte[0] : r.body, UTF8);
        String message = MiniJson.stringField(body, "message");
        String code = MiniJson.stringField(body, "code");
        StringBuilder m = new StringBuilder(prefix(s)).append("HTTP ").append(r.status);
        if (code != null) {
            m.append(' ').append(code);
        }
        if (message != null) {
            m.append(": ").append(message);
        } else if (body.trim().length() > 0) {
            m.append(": ").append(abbreviate(body));
        }
        if (r.status == 401) {
            m.append(" (set -Jmockjutsu.token to the sidecar's --token)");
        }
        return new SidecarException(m.append(suffix(method, shownPath)).toString());
    }

    private static String prefix(Settings s) {
        return "mockjutsu sidecar " + s.url + ": ";
    }

    private static String suffix(String shownPath) {
        return suffix("GET", shownPath);
    }

    private static String suffix(String method, String shownPath) {
        return " [" + method + " " + shownPath + "]";
    }

    private static String abbreviate(String body) {
        String b = body.replace('\n', ' ').replace('\r', ' ').trim();
        return b.length() > 200 ? b.substring(0, 200) + "..." : b;
    }

    static List<String> splitLines(byte[] body) {
        String text = new String(body, UTF8);
        List<String> lines = new ArrayList<String>(64);
        int start = 0;
        int len = text.length();
        while (start < len) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? len : nl;
            int e = end;
            if (e > start && text.charAt(e - 1) == '\r') {
                e--;
            }
            if (e > start) {
                lines.add(text.substring(start, e));
            }
            start = end + 1;
        }
        return lines;
    }

    /** Percent-encoding of one path segment (a space is %20, a slash %2F). */
    static String encodePathSegment(String s) {
        return encodeQuery(s).replace("+", "%20");
    }

    static String encodeQuery(String s) {
        try {
            return URLEncoder.encode(s, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
