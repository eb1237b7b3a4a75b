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
    void readsTheTicketsOfATakeWithAHolder() {
        PoolDraw d = PoolDraw.parse("{\"status\":\"ok\",\"pool\":\"users\",\"recyclable\":false,\"items\":[{\"tickets\":[9]},\"b\"],"
                + "\"exhausted\":false,\"tickets\":[ 17 , 3 ]}");
        assertEquals(Arrays.asList("{\"tickets\":[9]}", "b"), d.items);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {17, 3}, d.tickets);
        assertEquals(null, PoolDraw.parse("{\"items\":[\"a\"],\"exhausted\":false}").tickets);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoolDraw.parse("{\"items\":[\"a\",\"b\"],\"exhausted\":false,\"tickets\":[1]}"));
        assertEquals("1 tickets for 2 items", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PoolDraw.parse("{\"items\":[\"a\"],\"exhausted\":false,\"tickets\":[\"x\"]}"));
        assertEquals("ticket 1 is not an integer: '\"x\"'", e.getMessage());
    }

    @Test
    void holderNamesArePrintableWithoutSpacesOrQuotes() {
        String h = PoolBuffer.holderName("engine 1\"x");
        assertTrue(h.matches("engine_1_x/[0-9a-f-]{36}"), h);
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
