package io.mockjutsu.jmeter.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.Test;

/** The sidecar's POST /pools/{name}/take answers as the pool function reads them. */
class PoolDrawTest {

    @Test
    void readsItemsAsJsonTextAndStringsAsCharacters() {
        PoolDraw d = PoolDraw.parse("{\"status\":\"ok\",\"pool\":\"users\",\"recyclable\":false,"
                + "\"items\":[{\"id\":1,\"email\":\"a@example.com\"},\"plain \\\"quoted\\\" \\u00e9\",42,-1.5e3,true,null,[1,[2]]],"
                + "\"exhausted\":false}");
        assertEquals(Arrays.asList("{\"id\":1,\"email\":\"a@example.com\"}", "plain \"quoted\" \u00e9", "42", "-1.5e3", "true", "null", "[1,[2]]"), d.items);
        assertFalse(d.exhausted);
        assertFalse(d.recyclable);
    }

    @Test
    void readsTheTopLevelFlagsNotKeysOfTheSameNameInsideItems() {
        String json = "{ \"status\" : \"ok\" , \"pool\" : \"p\" , \"recyclable\" : true ,\n \"items\" : [ {\"exhausted\":true,\"items\":[\"x\"],"
                + "\"s\":\"] } , {\"}, { \"exhausted\": false } ] ,\n \"exhausted\" : true }";
        PoolDraw d = PoolDraw.parse(json);
        assertEquals(Arrays.asList("{\"exhausted\":true,\"items\":[\"x\"],\"s\":\"] } , {\"}", "{ \"exhausted\": false }"), d.items);
        assertTrue(d.exhausted);
        assertTrue(d.recyclable);
    }

    @Test
    void readsTheLastItemsWithExhaustedAndAnEmptyDraw() {
        PoolDraw last = PoolDraw.parse("{\"items\":[\"last\"],\"exhausted\":true}");
        assertEquals(Collections.singletonList("last"), last.items);
        assertTrue(last.exhausted);
        PoolDraw empty = PoolDraw.parse("{\"exhausted\":true,\"items\":[]}");
        assertTrue(empty.items.isEmpty());
        assertTrue(empty.exhausted);
        assertTrue(PoolDraw.none("gone").exhausted);
        assertEquals("gone", PoolDraw.none("gone").message);
    }

    @Test
    void refusesAnswersThatAreNotADraw() {
        String[] bad = {
            "", "[]", "{}", "{\"items\":[1]}", "{\"exhausted\":false}", "{\"items\":[1,],\"exhausted\":false}",
            "{\"items\":[\"open],\"exhausted\":false}", "{\"items\":[{\"a\":1],\"exhausted\":false}",
            "{\"items\":[1],\"exhausted\":\"no\"}", "{\"items\":[1] \"exhausted\":false}", "<html>502</html>",
        };
        for (String b : bad) {
            assertThrows(IllegalArgumentException.class, () -> PoolDraw.parse(b), b);
        }
    }
}
