package io.mockjutsu.jmeter.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.Test;

/** The sidecar's control answers as MiniJson reads them (error bodies, GET /types). */
class MiniJsonTest {

    private static final String ERROR_BODY = "{\"status\":\"error\",\"error\":{\"code\":\"UNKNOWN_TYPE\","
            + "\"message\":\"unknown type 'x'; types: event_stream\"}}";

    @Test
    void readsStringFieldsOfTheSidecarsErrorBody() {
        assertEquals("error", MiniJson.stringField(ERROR_BODY, "status"));
        assertEquals("UNKNOWN_TYPE", MiniJson.stringField(ERROR_BODY, "code"));
        assertEquals("unknown type 'x'; types: event_stream", MiniJson.stringField(ERROR_BODY, "message"));
        assertNull(MiniJson.stringField(ERROR_BODY, "missing"));
    }

    @Test
    void decodesEscapes() {
        String json = "{\"m\":\"a\\\"b\\\\c\\/d\\n\\t\\r\\b\\f\\u00e9\\u20AC\"}";
        assertEquals("a\"b\\c/d\n\t\r\b\f\u00e9\u20ac", MiniJson.stringField(json, "m"));
    }

    @Test
    void toleratesWhitespaceAroundTheColon() {
        assertEquals("v", MiniJson.stringField("{ \"k\" \n:\t \"v\" }", "k"));
    }

    @Test
    void skipsNonStringValuesAndNamesThatOnlyAppearInsideValues() {
        // "code" first appears as a value, then as a number-valued name, then as a string-valued name
        String json = "{\"a\":\"code\",\"code\":42,\"inner\":{\"code\":\"E1\"}}";
        assertEquals("E1", MiniJson.stringField(json, "code"));
        assertNull(MiniJson.stringField("{\"code\":null}", "code"));
    }

    @Test
    void returnsNullOnBrokenStrings() {
        assertNull(MiniJson.stringField("{\"m\":\"unterminated", "m"));
        assertNull(MiniJson.stringField("{\"m\":\"bad \\u12G4 escape\"}", "m"));
        assertNull(MiniJson.stringField("{\"m\":\"cut \\u12", "m"));
    }

    @Test
    void readsTheTypesList() {
        String body = "{\"types\": [ \"event_stream\" , \"orders\",\"a\\\"b\" ], \"default\":\"event_stream\"}";
        assertEquals(Arrays.asList("event_stream", "orders", "a\"b"), MiniJson.stringArrayField(body, "types"));
        assertEquals(Collections.emptyList(), MiniJson.stringArrayField("{\"types\":[]}", "types"));
    }

    @Test
    void typesListThatIsNotAListOfStringsIsNull() {
        assertNull(MiniJson.stringArrayField("{\"types\":\"event_stream\"}", "types"));
        assertNull(MiniJson.stringArrayField("{\"types\":[1,2]}", "types"));
        assertNull(MiniJson.stringArrayField("{\"types\":[\"a\"", "types"));
        assertNull(MiniJson.stringArrayField("{\"other\":[\"a\"]}", "types"));
    }
}
