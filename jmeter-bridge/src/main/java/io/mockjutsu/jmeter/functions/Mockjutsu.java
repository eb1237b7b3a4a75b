package io.mockjutsu.jmeter.functions;

/**
 * {@code ${__mockjutsu(type[,mode][,variable])}}: the short name of
 * {@code ${__mockjutsu_event_sourcing(...)}}, identical behaviour (same per-thread streams).
 */
public class Mockjutsu extends MockjutsuEventSourcing {

    /** Reference key of this function. */
    public static final String SHORT_KEY = "__mockjutsu";

    @Override
    public String getReferenceKey() {
        return SHORT_KEY;
    }
}
