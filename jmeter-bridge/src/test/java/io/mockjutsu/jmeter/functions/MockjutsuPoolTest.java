package io.mockjutsu.jmeter.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Pool names the function accepts: the sidecar's record names. */
class MockjutsuPoolTest {

    @Test
    void acceptsRecordNames() {
        for (String ok : new String[] {"users", "u", "Users_2", "a.b-c", " users "}) {
            assertNull(MockjutsuPool.checkName(ok), ok);
        }
    }

    @Test
    void refusesNamesThatAreNoRecordName() {
        for (String bad : new String[] {"", "  ", ".hidden", "../x", "a/b", "a b", "users?n=5", "x%2F"}) {
            assertNotNull(MockjutsuPool.checkName(bad), bad);
        }
        assertEquals("invalid pool name 'a/b'; allowed: 1-128 letters, digits, _, - and ., not starting with .", MockjutsuPool.checkName("a/b"));
    }

    @Test
    void isRegisteredUnderItsKey() {
        assertEquals("__mockjutsu_pool", new MockjutsuPool().getReferenceKey());
        assertEquals(2, new MockjutsuPool().getArgumentDesc().size());
    }
}
