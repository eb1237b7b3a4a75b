package io.mockjutsu.jmeter.functions;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.jmeter.threads.AbstractThreadGroup;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jorphan.logging.LoggingManager;
import org.apache.log.Logger;

/**
 * Everything one JMeter thread keeps between calls: its session-stream key, its prefetch queues
 * (one per type and unit, shared by every call site of the thread) with their {@code from}
 * cursors, and the state of the current outage. Only ever touched by its own thread, hence no
 * locks.
 */
final class ThreadState {

    static final String DEFAULT_TYPE = "event_stream";

    private static final Logger LOG = LoggingManager.getLoggerFor(MockjutsuEventSourcing.class.getName());
    private static final long FIRST_BACKOFF_MS = 50;

    private static final ThreadLocal<ThreadState> CURRENT = new ThreadLocal<ThreadState>();

    /** Types listed by each sidecar URL's GET /types; filled lazily, only with successful answers. */
    private static final ConcurrentHashMap<String, Set<String>> TYPES = new ConcurrentHashMap<String, Set<String>>();

    /** Outcome of one call. */
    static final class Result {
        final String value;
        final String error;

        Result(String value, String error) {
            this.value = value;
            this.error = error;
        }
    }

    private static final class Stream {
        final ArrayDeque<String> queue = new ArrayDeque<String>();
        /** 1-based index, in the key's stream, of the first item not yet in the queue. */
        long from = 1;
    }

    final Settings settings;
    final String key;
    private final Map<String, Stream> streams = new HashMap<String, Stream>();

    private boolean down;
    private long retryAtNanos;
    private long backoffMs;
    private long failedCalls;
    private String lastError;
    private String lastProblem;

    private ThreadState(Settings settings, String key) {
        this.settings = settings;
        this.key = key;
    }

    static ThreadState current() {
        ThreadState s = CURRENT.get();
        if (s == null) {
            s = new ThreadState(Settings.fromProperties(), currentThreadKey());
            CURRENT.set(s);
        }
        return s;
    }

    /** Key of the calling thread: engine id / thread group name / thread number (1-based). */
    static String currentThreadKey() {
        JMeterContext ctx = JMeterContextService.getContext();
        AbstractThreadGroup group = ctx == null ? null : ctx.getThreadGroup();
        if (group == null) { // not in a test thread (e.g. the Function Helper dialog)
            return MockjutsuEventSourcing.threadKey(Settings.engineId(), Thread.currentThread().getName(), 0);
        }
        return MockjutsuEventSourcing.threadKey(Settings.engineId(), group.getName(), ctx.getThreadNum() + 1);
    }

    /** The next item of this thread's stream of {@code type} in {@code unit} (event or session). */
    Result next(String type, String unit) {
        String streamKey = type + '\u0000' + unit;
        Stream stream = streams.get(streamKey);
        if (stream == null) {
            stream = new Stream();
            streams.put(streamKey, stream);
        }
        String value = stream.queue.poll();
        if (value != null) {
            return succeeded(value);
        }
        if (down && System.nanoTime() - retryAtNanos < 0) {
            failedCalls++;
            return new Result("", lastError); // still backing off: no network call, no new log line
        }
        try {
            checkType(type);
            SidecarClient.Batch batch = SidecarClient.batch(settings, key, type, unit, stream.from, settings.batch);
            // the queue and the cursor only move on a complete, successful batch
            stream.queue.addAll(batch.items);
            stream.from += batch.items.size();
            return succeeded(stream.queue.poll());
        } catch (SidecarException e) {
            return failed(e.getMessage());
        }
    }

    private void checkType(String type) throws SidecarException {
        if (DEFAULT_TYPE.equals(type)) {
            return;
        }
        Set<String> types = TYPES.get(settings.url);
        if (types == null) {
            types = SidecarClient.types(settings);
            TYPES.put(settings.url, types);
        }
        if (!types.contains(type)) {
            throw new SidecarException("mockjutsu sidecar " + settings.url + ": unknown type '" + type
                    + "'; it serves: " + join(types));
        }
    }

    private Result succeeded(String value) {
        if (down) {
            LOG.info("mockjutsu: sidecar " + settings.url + " answers again for thread " + key + " after "
                    + failedCalls + " failed call(s)");
            down = false;
            backoffMs = 0;
            failedCalls = 0;
            lastError = null;
        }
        return new Result(value, null);
    }

    private Result failed(String message) {
        failedCalls++;
        lastError = message;
        backoffMs = backoffMs == 0 ? Math.min(FIRST_BACKOFF_MS, settings.backoffMaxMs)
                : Math.min(backoffMs * 2, settings.backoffMaxMs);
        retryAtNanos = System.nanoTime() + backoffMs * 1000000L;
        if (!down) {
            down = true;
            LOG.error(message + " -- thread " + key + ": the mockjutsu function returns \"\" and sets ${"
                    + MockjutsuEventSourcing.ERROR_VARIABLE
                    + "} until the sidecar answers again (retrying with back-off up to " + settings.backoffMaxMs
                    + " ms; logged once per outage)");
        }
        return new Result("", message);
    }

    /** A bad dynamic argument: logged once per thread per distinct message. */
    void reportProblem(String message) {
        if (!message.equals(lastProblem)) {
            lastProblem = message;
            LOG.error(message + " -- thread " + key);
        }
    }

    private static String join(Set<String> items) {
        StringBuilder b = new StringBuilder();
        for (String s : items) {
            b.append(b.length() == 0 ? "" : ", ").append(s);
        }
        return b.length() == 0 ? "(nothing)" : b.toString();
    }
}
