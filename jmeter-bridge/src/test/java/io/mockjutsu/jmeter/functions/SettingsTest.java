package io.mockjutsu.jmeter.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Settings s = new Settings(" http://127.0.0.1:9000/// ", " 42 ", 0, 0, " t ", -5, false);
        assertEquals("http://127.0.0.1:9000", s.url);
        assertEquals("42", s.seed);
        assertEquals(1, s.batch);
        assertEquals(1, s.timeoutMs);
        assertEquals("t", s.token);
        assertEquals(0, s.backoffMaxMs);
        assertFalse(s.asyncPrefetch);
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
        Settings s = Settings.fromProperties();
        assertEquals("http://127.0.0.1:8099", s.url);
        assertEquals("", s.seed);
        assertEquals(64, s.batch);
        assertEquals(5000, s.timeoutMs);
        assertEquals("", s.token);
        assertEquals(1000, s.backoffMaxMs);
        assertTrue(s.asyncPrefetch);
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
        Settings s = Settings.fromProperties();
        assertEquals("http://10.0.0.7:8100", s.url);
        assertEquals("20240607", s.seed);
        assertEquals(16, s.batch);
        assertEquals(300, s.timeoutMs);
        assertEquals("s3cret", s.token);
        assertEquals(400, s.backoffMaxMs);
        assertFalse(s.asyncPrefetch);
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
