package io.mockjutsu.jmeter.functions;

import org.apache.jmeter.util.JMeterUtils;

/**
 * The {@code mockjutsu.*} JMeter properties ({@code -Jname=value}, {@code -Gname=value} for
 * remote engines), read once per thread when the thread first calls the function.
 */
final class Settings {

    static final String DEFAULT_URL = "http://127.0.0.1:8099";
    static final int DEFAULT_BATCH = 64;
    static final int MAX_BATCH = 10000;
    static final int DEFAULT_TIMEOUT_MS = 5000;
    static final int DEFAULT_BACKOFF_MAX_MS = 1000;

    final String url;
    final String seed;
    final int batch;
    final int timeoutMs;
    final String token;
    final int backoffMaxMs;
    /** Ask for the next batch in the background when a queue is half empty. */
    final boolean asyncPrefetch;
    /** {@code mockjutsu.envelope}: none (""), cloudevents or eventbridge; passed to the sidecar, which checks it. */
    final String envelope;
    /** {@code mockjutsu.mode}: mock_event's realistic ("") or barebone; passed to the sidecar. */
    final String mode;
    /** {@code mockjutsu.users}: users sessions are drawn from ("" = the sidecar's default); passed to the sidecar, which checks it. */
    final String users;
    /** {@code mockjutsu.start}: first session start, ISO-8601 or epoch ms ("" = the default); passed to the sidecar, which checks it. */
    final String start;

    Settings(String url, String seed, int batch, int timeoutMs, String token, int backoffMaxMs, boolean asyncPrefetch) {
        this(url, seed, batch, timeoutMs, token, backoffMaxMs, asyncPrefetch, "", "");
    }

    Settings(String url, String seed, int batch, int timeoutMs, String token, int backoffMaxMs, boolean asyncPrefetch,
            String envelope, String mode) {
        this(url, seed, batch, timeoutMs, token, backoffMaxMs, asyncPrefetch, envelope, mode, "", "");
    }

    Settings(String url, String seed, int batch, int timeoutMs, String token, int backoffMaxMs, boolean asyncPrefetch,
            String envelope, String mode, String users, String start) {
        String u = url == null ? "" : url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        this.url = u.length() == 0 ? DEFAULT_URL : u;
        this.seed = seed == null ? "" : seed.trim();
        this.batch = Math.max(1, Math.min(MAX_BATCH, batch));
        this.timeoutMs = Math.max(1, timeoutMs);
        this.token = token == null ? "" : token.trim();
        this.backoffMaxMs = Math.max(0, backoffMaxMs);
        this.asyncPrefetch = asyncPrefetch;
        String e = envelope == null ? "" : envelope.trim();
        this.envelope = "none".equals(e) ? "" : e;
        this.mode = mode == null ? "" : mode.trim();
        this.users = users == null ? "" : users.trim();
        this.start = start == null ? "" : start.trim();
    }

    static Settings fromProperties() {
        return new Settings(
                JMeterUtils.getPropDefault("mockjutsu.url", DEFAULT_URL),
                JMeterUtils.getPropDefault("mockjutsu.seed", ""),
                JMeterUtils.getPropDefault("mockjutsu.batch", DEFAULT_BATCH),
                JMeterUtils.getPropDefault("mockjutsu.timeout_ms", DEFAULT_TIMEOUT_MS),
                JMeterUtils.getPropDefault("mockjutsu.token", ""),
                JMeterUtils.getPropDefault("mockjutsu.backoff_max_ms", DEFAULT_BACKOFF_MAX_MS),
                JMeterUtils.getPropDefault("mockjutsu.async_prefetch", true),
                JMeterUtils.getPropDefault("mockjutsu.envelope", ""),
                JMeterUtils.getPropDefault("mockjutsu.mode", ""),
                JMeterUtils.getPropDefault("mockjutsu.users", ""),
                JMeterUtils.getPropDefault("mockjutsu.start", ""));
    }

    private static volatile String HOST_NAME;

    private static String hostName() {
        String host = null;
        try {
            host = JMeterUtils.getLocalHostName(); // cached by JMeter
        } catch (RuntimeException e) {
            host = null;
        } catch (LinkageError e) {
            host = null;
        }
        if (host == null || host.trim().length() == 0) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return host.trim();
    }

    /** The engine id of this JVM: {@code mockjutsu.engine}, else the host name. */
    static String engineId() {
        String id = JMeterUtils.getPropDefault("mockjutsu.engine", "").trim();
        if (id.length() > 0) {
            return id;
        }
        String host = HOST_NAME;
        if (host == null) {
            host = hostName();
            HOST_NAME = host;
        }
        return host;
    }
}
