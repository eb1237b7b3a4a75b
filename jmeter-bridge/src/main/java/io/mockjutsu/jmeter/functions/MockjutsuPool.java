package io.mockjutsu.jmeter.functions;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.jmeter.engine.util.CompoundVariable;
import org.apache.jmeter.functions.AbstractFunction;
import org.apache.jmeter.functions.InvalidVariableException;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.samplers.Sampler;
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
 * <p>Per-thread prefetch: a thread asks for {@code mockjutsu.pool.prefetch} items at a time
 * (default 1) from a non-recyclable pool and {@code mockjutsu.batch} (default 64) from a recyclable
 * one. Items a thread prefetched and did not use when it ends (thread stopped, test over) are
 * lost: the sidecar counted them as handed out and never hands them to anyone else, so a prefetch
 * above 1 trades a few unused items for fewer requests, never a repeat.
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
    static final int DEFAULT_PREFETCH = 1;

    private static final Logger LOG = LoggerFactory.getLogger(MockjutsuPool.class);
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final int MAX_ARGS = 2;

    private static final List<String> DESCRIPTION = Collections.unmodifiableList(Arrays.asList(
            "Pool name (required): a --pool NAME of the mockjutsu sidecar, or a name recorded through POST /record/NAME",
            "Name of a variable that also receives the item (optional)"));

    /** Pools whose exhaustion was logged, by sidecar URL, pool and test start (log once per pool and run). */
    private static final ConcurrentHashMap<String, Boolean> EXHAUSTION_LOGGED = new ConcurrentHashMap<String, Boolean>();

    private static final ThreadLocal<Map<String, Queue>> QUEUES = new ThreadLocal<Map<String, Queue>>() {
        @Override
        protected Map<String, Queue> initialValue() {
            return new HashMap<String, Queue>();
        }
    };

    private static final ThreadLocal<Settings> SETTINGS = new ThreadLocal<Settings>();

    /** One thread's prefetched items of one pool. */
    static final class Queue {
        final ArrayDeque<String> items = new ArrayDeque<String>();
        /** Learnt from the first answer; until then the non-recyclable prefetch is used. */
        boolean recyclable;
        /** The last request failed (an outage is logged once per thread). */
        boolean failing;
        /** The sidecar's message of the last draw that got nothing. */
        String exhaustedBecause;
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
            Queue q = queueOf(s, name);
            try {
                value = next(s, name, q);
                if (value == null) {
                    value = "";
                    error = exhausted(s, name, q.exhaustedBecause);
                }
            } catch (SidecarException e) {
                error = e.getMessage();
                if (!q.failing) {
                    q.failing = true;
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

    /**
     * The next item of the thread's queue, fetching when it is empty; null when the pool is
     * exhausted ({@code q.exhaustedBecause} then holds the sidecar's message).
     */
    static String next(Settings s, String name, Queue q) throws SidecarException {
        String item = q.items.poll();
        if (item != null) {
            return item;
        }
        PoolDraw draw = SidecarClient.take(s, name, q.recyclable ? s.batch : prefetch());
        if (q.failing) {
            q.failing = false;
            LOG.info("mockjutsu: sidecar " + s.url + " answers again for pool " + name + " in thread " + Thread.currentThread().getName());
        }
        q.recyclable = draw.recyclable;
        q.exhaustedBecause = draw.message;
        q.items.addAll(draw.items);
        return q.items.poll();
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

    private static Queue queueOf(Settings s, String name) {
        Map<String, Queue> queues = QUEUES.get();
        Queue q = queues.get(name);
        if (q == null) {
            q = new Queue();
            queues.put(name, q);
        }
        return q;
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
