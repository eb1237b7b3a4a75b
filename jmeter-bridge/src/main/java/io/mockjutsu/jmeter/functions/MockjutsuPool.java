package io.mockjutsu.jmeter.functions;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.engine.util.CompoundVariable;
import org.apache.jmeter.functions.AbstractFunction;
import org.apache.jmeter.functions.InvalidVariableException;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.samplers.Sampler;
import org.apache.jmeter.testelement.TestStateListener;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jmeter.threads.JMeterThread;
import org.apache.jmeter.threads.JMeterVariables;
import org.apache.jmeter.util.JMeterUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ${__mockjutsu_pool(NAME[,variable])}}: the next item of data pool NAME, served by the
 * mockjutsu sidecar ({@code mockjutsu serve --pool NAME=FILE[:recyclable]}, or a pool filled by
 * {@code POST /record/NAME}).
 *
 * <p>The sidecar allocates: each item of a non-recyclable pool goes to exactly one caller across
 * all threads of all engines that share the sidecar, then the pool is exhausted; a recyclable
 * pool goes round-robin forever. An object, array, number or boolean item is returned as its JSON
 * text; a string item as its characters.
 *
 * <p>Prefetch per engine: the engine's threads share one buffer per pool (see {@link PoolBuffer}),
 * refilled in the background with {@code mockjutsu.pool.prefetch} items (default 64) when it
 * falls to half of that ({@code mockjutsu.batch} items at a time from a recyclable pool), so a
 * call normally takes an item already in memory. Items of a non-recyclable pool that were
 * fetched and not used when the test ends go back to the sidecar ({@code POST
 * /pools/NAME/return}), which hands them out again first: each item is used exactly once and
 * none is lost, except the buffer of an engine killed before test end and the items of an
 * answer that never arrived (lost, never handed out twice).
 *
 * <p>Exhaustion: the function returns "", sets {@value MockjutsuEventSourcing#ERROR_VARIABLE} to
 * the message, logs it once per pool and test run, and, with
 * {@code -Jmockjutsu.pool.stopThreadOnExhausted=true}, stops the calling thread (after its
 * current sample). Other faults (sidecar down, unknown pool) also return "" with
 * {@value MockjutsuEventSourcing#ERROR_VARIABLE} set, one ERROR line per thread and outage.
 */
public class MockjutsuPool extends AbstractFunction {

    /** Reference key of this function. */
    public static final String KEY = "__mockjutsu_pool";

    static final String PREFETCH_PROPERTY = "mockjutsu.pool.prefetch";
    static final String STOP_PROPERTY = "mockjutsu.pool.stopThreadOnExhausted";
    static final int DEFAULT_PREFETCH = 64;

    private static final Logger LOG = LoggerFactory.getLogger(MockjutsuPool.class);
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final int MAX_ARGS = 2;

    private static final List<String> DESCRIPTION = Collections.unmodifiableList(Arrays.asList(
            "Pool name (required): a --pool NAME of the mockjutsu sidecar, or a name recorded through POST /record/NAME",
            "Name of a variable that also receives the item (optional)"));

    /** Pools whose exhaustion was logged, by sidecar URL, pool and test start (log once per pool and run). */
    private static final ConcurrentHashMap<String, Boolean> EXHAUSTION_LOGGED = new ConcurrentHashMap<String, Boolean>();

    /** Per thread and pool name: the engine's buffer (cached) and the thread's outage state. */
    private static final ThreadLocal<Map<String, PerThread>> PER_THREAD = new ThreadLocal<Map<String, PerThread>>() {
        @Override
        protected Map<String, PerThread> initialValue() {
            return new HashMap<String, PerThread>();
        }
    };

    private static final ThreadLocal<Settings> SETTINGS = new ThreadLocal<Settings>();

    /** Registered for the coming run: at its end the buffers give their unused items back. */
    private static final AtomicBoolean END_LISTENER = new AtomicBoolean();

    /** One thread's view of one pool. */
    static final class PerThread {
        PoolBuffer buffer;
        /** The last request failed (an outage is logged once per thread). */
        boolean failing;
    }

    private CompoundVariable[] args = new CompoundVariable[MAX_ARGS];
    private String fixedName;
    private String fixedVariable;

    public MockjutsuPool() {
        // cheap on purpose: no I/O here
    }

    @Override
    public String getReferenceKey() {
        return KEY;
    }

    @Override
    public List<String> getArgumentDesc() {
        return DESCRIPTION;
    }

    @Override
    public void setParameters(Collection<CompoundVariable> parameters) throws InvalidVariableException {
        CompoundVariable[] given = parameters.toArray(new CompoundVariable[0]);
        if (given.length < 1 || given.length > MAX_ARGS) {
            throw new InvalidVariableException(KEY + " takes a pool name and optionally a variable name, e.g. ${" + KEY
                    + "(users)} or ${" + KEY + "(users,user)}, but got " + given.length + " arguments");
        }
        CompoundVariable[] a = new CompoundVariable[MAX_ARGS];
        System.arraycopy(given, 0, a, 0, given.length);
        String name = MockjutsuEventSourcing.constant(a[0]);
        if (name != null) {
            String problem = checkName(name);
            if (problem != null) {
                throw new InvalidVariableException(KEY + ": " + problem);
            }
        }
        String variable = MockjutsuEventSourcing.constant(a[1]);
        this.args = a;
        registerEndListener();
        this.fixedName = name == null ? null : name.trim();
        this.fixedVariable = variable == null ? null : variable.trim();
    }

    @Override
    public String execute(SampleResult previousResult, Sampler currentSampler) throws InvalidVariableException {
        JMeterVariables vars = getVariables();
        String variable = fixedVariable != null ? fixedVariable : MockjutsuEventSourcing.dynamic(args[1]).trim();
        String name = fixedName != null ? fixedName : MockjutsuEventSourcing.dynamic(args[0]).trim();
        String value = "";
        String error = fixedName != null ? null : checkName(name);
        if (error != null) {
            error = KEY + ": " + error;
        } else {
            Settings s = settings();
            PerThread t = perThread(s, name);
            try {
                PoolBuffer.Next next = t.buffer.next();
                if (t.failing) {
                    t.failing = false;
                    LOG.info("mockjutsu: sidecar " + s.url + " answers again for pool " + name + " in thread " + Thread.currentThread().getName());
                }
                if (next.value != null) {
                    value = next.value;
                } else {
                    error = exhausted(s, name, next.exhaustedBecause);
                }
            } catch (SidecarException e) {
                error = e.getMessage();
                if (!t.failing) {
                    t.failing = true;
                    LOG.error(error + " -- " + KEY + "(" + name + ") in thread " + Thread.currentThread().getName());
                }
            }
        }
        if (vars != null) {
            vars.put(MockjutsuEventSourcing.ERROR_VARIABLE, error == null ? "" : error);
            if (variable.length() > 0) {
                vars.put(variable, value);
            }
        }
        return value;
    }

    /** Handles exhaustion: the message, logged once per pool and run; stops the thread when asked to. */
    private String exhausted(Settings s, String name, String because) {
        String message = because != null ? because : "mockjutsu sidecar " + s.url + ": pool \"" + name + "\" is exhausted";
        boolean stop = JMeterUtils.getPropDefault(STOP_PROPERTY, false);
        String key = s.url + "\u0000" + name + "\u0000" + JMeterContextService.getTestStartTime();
        if (EXHAUSTION_LOGGED.putIfAbsent(key, Boolean.TRUE) == null) {
            LOG.warn(message + (stop ? "; stopping each thread that asks for more (" + STOP_PROPERTY + "=true)"
                    : "; threads go on and get \"\" (-J" + STOP_PROPERTY + "=true stops them)"));
        }
        if (stop) {
            JMeterContext ctx = JMeterContextService.getContext();
            JMeterThread thread = ctx == null ? null : ctx.getThread();
            if (thread != null) {
                thread.stop(); // ends after the current sample
            }
        }
        return message;
    }

    private static Settings settings() {
        Settings s = SETTINGS.get();
        if (s == null) {
            s = Settings.fromProperties();
            SETTINGS.set(s);
        }
        return s;
    }

    private static int prefetch() {
        int n = JMeterUtils.getPropDefault(PREFETCH_PROPERTY, DEFAULT_PREFETCH);
        return Math.max(1, Math.min(Settings.MAX_BATCH, n));
    }

    private static PerThread perThread(Settings s, String name) {
        Map<String, PerThread> all = PER_THREAD.get();
        PerThread t = all.get(name);
        if (t == null) {
            t = new PerThread();
            all.put(name, t);
        }
        if (t.buffer == null || t.buffer.closed) { // first call, or a new test run in this JVM
            t.buffer = PoolBuffer.of(s, name, prefetch());
        }
        return t;
    }

    /**
     * Has the engine call {@link PoolBuffer#giveBackAll} at test end. Functions are parsed while
     * the engine prepares the run, before it merges what was registered here into its test
     * listeners (JMeter's hook for functions); a JVM exit hook covers a run that did not see it.
     */
    private static void registerEndListener() {
        if (END_LISTENER.compareAndSet(false, true)) {
            StandardJMeterEngine.register(new TestStateListener() {
                @Override
                public void testStarted() {
                }

                @Override
                public void testStarted(String host) {
                }

                @Override
                public void testEnded() {
                    END_LISTENER.set(false);
                    PoolBuffer.giveBackAll();
                }

                @Override
                public void testEnded(String host) {
                    testEnded();
                }
            });
        }
    }

    static String checkName(String name) {
        String n = name == null ? "" : name.trim();
        if (n.length() == 0) {
            return "the first argument (pool name) is empty; give the name of a pool of the sidecar (GET /pools lists them)";
        }
        if (!NAME_PATTERN.matcher(n).matches()) {
            return "invalid pool name '" + n + "'; allowed: 1-128 letters, digits, _, - and ., not starting with .";
        }
        return null;
    }
}
