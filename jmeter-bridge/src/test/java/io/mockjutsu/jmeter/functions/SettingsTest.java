package io.mockjutsu.jmeter.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.jmeter.util.JMeterUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mockjutsu.* properties: normalised values, defaults, and what JMeter's -J properties give. */
class SettingsTest {

    private static final String[] NAMES = {"mockjutsu.url", "mockjutsu.seed", "mockjutsu.batch", "mockjutsu.timeout_ms",
        "mockjutsu.token", "mockjutsu.backoff_max_ms", "mockjutsu.async_prefetch", "mockjutsu.engine"};

    /** Every setting the seven-argument constructor takes, as {@code s} holds it. */
    private static void assertSettings(Settings s, String url, String seed, int batch, int timeoutMs, String token,
            int backoffMaxMs, boolean asyncPrefetch) {
        assertEquals(url, s.url, "url");
        assertEquals(seed, s.seed, "seed");
        assertEquals(batch, s.batch, "batch");
        assertEquals(timeoutMs, s.timeoutMs, "timeout_ms");
        assertEquals(token, s.token, "token");
        assertEquals(backoffMaxMs, s.backoffMaxMs, "backoff_max_ms");
        assertEquals(asyncPrefetch, s.asyncPrefetch, "async_prefetch");
    }

    @BeforeAll
    static void jmeterProperties(@TempDir Path dir) throws IOException {
        // what JMeter does at start-up with bin/jmeter.properties (here an empty one)
        File props = dir.resolve("jmeter.properties").toFile();
        Files.write(props.toPath(), new byte[0]);
        JMeterUtils.loadJMeterProperties(props.getPath());
    }

    @AfterEach
    void clear() {
        for (String n : NAMES) {
            JMeterUtils.getJMeterProperties().remove(n);
        }
    }

    @Test
    void normalisesTheUrlAndClampsNumbers() {
        assertSettings(new Settings(" http://127.0.0.1:9000/// ", " 42 ", 0, 0, " t ", -5, false),
                "http://127.0.0.1:9000", "42", 1, 1, "t", 0, false);
        assertEquals(Settings.MAX_BATCH, new Settings("x", "", 1000000, 5, "", 1, true).batch);
    }

    @Test
    void emptyOrMissingValuesFallBackToDefaults() {
        Settings s = new Settings("  /", null, 64, 5000, null, 1000, true);
        assertEquals(Settings.DEFAULT_URL, s.url);
        assertEquals("", s.seed);
        assertEquals("", s.token);
        assertEquals(Settings.DEFAULT_URL, new Settings(null, "", 1, 1, "", 0, true).url);
    }

    @Test
    void defaultsWhenNoPropertyIsSet() {
        assertSettings(Settings.fromProperties(), "http://127.0.0.1:8099", "", 64, 5000, "", 1000, true);
    }

    @Test
    void readsTheJMeterProperties() {
        JMeterUtils.setProperty("mockjutsu.url", "http://10.0.0.7:8100/");
        JMeterUtils.setProperty("mockjutsu.seed", "20240607");
        JMeterUtils.setProperty("mockjutsu.batch", "16");
        JMeterUtils.setProperty("mockjutsu.timeout_ms", "300");
        JMeterUtils.setProperty("mockjutsu.token", "s3cret");
        JMeterUtils.setProperty("mockjutsu.backoff_max_ms", "400");
        JMeterUtils.setProperty("mockjutsu.async_prefetch", "false");
        assertSettings(Settings.fromProperties(), "http://10.0.0.7:8100", "20240607", 16, 300, "s3cret", 400, false);
    }

    @Test
    void badNumbersFallBackToTheDefault() {
        JMeterUtils.setProperty("mockjutsu.batch", "lots");
        JMeterUtils.setProperty("mockjutsu.timeout_ms", "");
        Settings s = Settings.fromProperties();
        assertEquals(64, s.batch);
        assertEquals(5000, s.timeoutMs);
    }

    @Test
    void engineIdIsTheEnginePropertyElseTheHostName() {
        JMeterUtils.setProperty("mockjutsu.engine", "  engine-b ");
        assertEquals("engine-b", Settings.engineId());
        JMeterUtils.getJMeterProperties().remove("mockjutsu.engine");
        String host = Settings.engineId();
        assertFalse(host.isEmpty());
        assertEquals(host.trim(), host);
        assertEquals("engine-b/Thread Group/3", MockjutsuEventSourcing.threadKey("engine-b", "Thread Group", 3));
    }
}
