package io.mockjutsu.jmeter.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.Test;

/** NDJSON batch bodies cut into items, and the thread key as one URL path segment. */
class SidecarClientTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void splitsNdjsonLines() {
        assertEquals(Arrays.asList("{\"a\":1}", "{\"b\":2}"), SidecarClient.splitLines(utf8("{\"a\":1}\n{\"b\":2}\n")));
    }

    @Test
    void keepsTheLastLineWithoutANewline() {
        assertEquals(Arrays.asList("1", "2"), SidecarClient.splitLines(utf8("1\n2")));
    }

    @Test
    void dropsCarriageReturnsAndEmptyLines() {
        assertEquals(Arrays.asList("1", "2", "3"), SidecarClient.splitLines(utf8("1\r\n\r\n2\n\n3\r\n")));
        assertEquals(Collections.emptyList(), SidecarClient.splitLines(utf8("")));
        assertEquals(Collections.emptyList(), SidecarClient.splitLines(utf8("\n\r\n")));
    }

    @Test
    void decodesUtf8AndKeepsCarriageReturnsInsideALine() {
        assertEquals(Arrays.asList("{\"n\":\"Zo\u00eb \u20ac \ud83d\ude00\"}", "a\rb"),
                SidecarClient.splitLines(utf8("{\"n\":\"Zo\u00eb \u20ac \ud83d\ude00\"}\na\rb\n")));
    }

    @Test
    void encodesTheThreadKeyAsOnePathSegment() {
        assertEquals("engine-a%2FThread%20Group%2F1", SidecarClient.encodePathSegment("engine-a/Thread Group/1"));
        assertEquals("a%2Bb%3Fc%23%C3%A9", SidecarClient.encodePathSegment("a+b?c#\u00e9"));
        assertEquals("s%26e%3D1", SidecarClient.encodeQuery("s&e=1"));
    }
}
