package io.mockjutsu.jmeter.functions;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.jmeter.threads.AbstractThreadGroup;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterContextService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one JMeter thread keeps between calls: its session-stream key, its prefetch queues
 * (one per type and unit, shared by every call site of the thread) with their {@code from}
 * cursors, and the state of the current outage. Only ever touched by its own thread, hence no
 * locks.
 *
 * <p>Prefetch: the first batch is fetched by the calling thread; after that, when a queue falls
 * to half a batch, the next batch is asked for in the background (one request in flight per
 * queue, on a shared pool of daemon threads that only do HTTP) so that a thread rarely waits for
 * the sidecar. Results are taken into the queue by the owning thread only, in order; the cursor
 * moves only with a complete batch.
 */
final class ThreadState {

    static final String DEFAULT_TYPE = "event_stream";

    // SLF4J, JMeter's logging API since 3.2 (the logkit shims LoggingManager/org.apache.log are deprecated)
    private static final Logger LOG = LoggerFactory.getLogger(MockjutsuEventSourcing.class);
    private static final long FIRST_BACKOFF_MS = 50;

    private static final ThreadLocal<ThreadState> CURRENT = new ThreadLocal<ThreadState>();

    /** Background fetches: threads are created on demand and end after 30 s idle; daemons. */
    static final ExecutorService FETCHERS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "mockjutsu-prefetch-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

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

    /** One prefetched stream of the thread (per type and unit), with its own outage state. */
    private static final class Stream {
        final String type;
        final String unit;
        final ArrayDeque<String> queue = new ArrayDeque<String>();
        /** 1-based index, in the key's stream, of the first item not yet in the queue. */
        long from = 1;

        /** The background fetch in flight (items from {@code from} on), or null. */
        Future<SidecarClient.Batch> pending;
        /** Failure of the last background fetch, reported when the queue runs dry. */
        SidecarException pendingError;

        boolean down;
        long retryAtNanos;
        long backoffMs;
        long failedCalls;
        String lastError;

        Stream(String type, String unit) {
            this.type = type;
            this.unit = unit;
        }
    }

    final Settings settings;
    final String key;
    private final Map<String, Stream> streams = new HashMap<String, Stream>();
    /** The stream of the previous call. */
    private Stream lastStream;
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
        Stream stream = lastStream;
        // the usual case: the same call site again (same String instances), no key to build
        if (stream == null || !stream.type.equals(type) || !stream.unit.equals(unit)) {
            String streamKey = type + '\u0000' + unit;
            stream = streams.get(streamKey);
            if (stream == null) {
                stream = new Stream(type, unit);
                streams.put(streamKey, stream);
            }
            lastStream = stream;
        }
        if (stream.pending != null && stream.pending.isDone()) {
            absorb(stream);
        }
        String value = stream.queue.poll();
        if (value == null && stream.pending != null) {
            String interrupted = await(stream);
            if (interrupted != null) {
                return new Result("", interrupted);
            }
            value = stream.queue.poll();
        }
        if (value == null) {
            SidecarException error = stream.pendingError;
            stream.pendingError = null;
            if (error != null) {
                return failed(stream, error.getMessage());
            }
            if (stream.down && System.nanoTime() - stream.retryAtNanos < 0) {
                stream.failedCalls++;
                return new Result("", stream.lastError); // backing off: no network call, no new log line
            }
            try {
                int n = stream.from == 1 ? firstBatchSize(key, settings.batch) : settings.batch;
                take(stream, fetch(settings, key, stream.type, stream.unit, stream.from, n));
            } catch (SidecarException e) {
                return failed(stream, e.getMessage());
            }
            value = stream.queue.poll();
        }
        prefetchIfLow(stream);
        return succeeded(stream, value);
    }

    /** One batch from {@code from} on; runs on the calling thread or on a prefetch thread. */
    private static SidecarClient.Batch fetch(Settings settings, String key, String type, String unit, long from, int n)
            throws SidecarException {
        if (MockjutsuEventSourcing.MOCK_EVENT.equals(type)) {
            // unit is the schema name; item i (1-based) of the thread's stream is mock event i-1
            return SidecarClient.mockEvents(settings, key, unit, from - 1, n);
        }
        checkType(settings, type);
        return SidecarClient.batch(settings, key, type, unit, from, n);
    }

    /**
     * Size of a thread's first batch: 1 to {@code batch}, fixed by the thread key. Threads of a
     * group start together and go at the same pace; with equal first batches they would all
     * reach the end of every batch, and ask the sidecar for the next one, at the same moment (32
     * threads = 32 requests at once, the last one answered ~100 ms later on a busy machine).
     * Staggered first batches spread the requests over the whole batch period; later batches
     * are full.
     */
    static int firstBatchSize(String key, int batch) {
        int h = key.hashCode() * 0x9E3779B9; // Fibonacci hashing: neighbouring keys land far apart
        return 1 + (int) ((h & 0xFFFFFFFFL) * batch >>> 32);
    }

    /** The queue and the cursor only move on a complete, successful batch. */
    private static void take(Stream stream, SidecarClient.Batch batch) {
        stream.queue.addAll(batch.items);
        stream.from += batch.items.size();
    }

    private void prefetchIfLow(Stream stream) {
        if (!settings.asyncPrefetch || stream.pending != null || stream.pendingError != null || stream.down
                || stream.queue.size() > settings.batch / 2) {
            return;
        }
        final Settings s = settings;
        final String k = key;
        final String type = stream.type;
        final String unit = stream.unit;
        final long from = stream.from;
        stream.pending = FETCHERS.submit(new Callable<SidecarClient.Batch>() {
            @Override
            public SidecarClient.Batch call() throws SidecarException {
                return fetch(s, k, type, unit, from, s.batch);
            }
        });
    }

    /** Takes the finished background fetch into the queue, or keeps its failure for later. */
    private static void absorb(Stream stream) {
        Future<SidecarClient.Batch> f = stream.pending;
        stream.pending = null;
        try {
            take(stream, f.get());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            stream.pendingError = cause instanceof SidecarException ? (SidecarException) cause
                    : new SidecarException("mockjutsu: prefetch failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // cannot happen: f is done
        } catch (java.util.concurrent.CancellationException e) {
            stream.pendingError = new SidecarException("mockjutsu: prefetch cancelled", e);
        }
    }

    /** Waits for the background fetch; returns an error message when interrupted, else null. */
    private String await(Stream stream) {
        try {
            // the HTTP timeouts bound the fetch itself; this is only a safety net
            stream.pending.get(2L * settings.timeoutMs + 1000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // JMeter is stopping the thread: keep the fetch for later
            return "mockjutsu: interrupted while waiting for the sidecar";
        } catch (TimeoutException e) {
            stream.pending.cancel(true);
            stream.pending = null;
            stream.pendingError = new SidecarException("mockjutsu sidecar " + settings.url + ": no answer within "
                    + settings.timeoutMs + " ms (mockjutsu.timeout_ms)");
            return null;
        } catch (ExecutionException e) {
            // taken by absorb below
        } catch (java.util.concurrent.CancellationException e) {
            // taken by absorb below
        }
        absorb(stream);
        return null;
    }

    private static void checkType(Settings settings, String type) throws SidecarException {
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

    private Result succeeded(Stream stream, String value) {
        if (stream.down) {
            LOG.info("mockjutsu: sidecar " + settings.url + " answers again for thread " + key + " ("
                    + stream.type + ", " + stream.unit + " mode) after " + stream.failedCalls + " failed call(s)");
            stream.down = false;
            stream.backoffMs = 0;
            stream.failedCalls = 0;
            stream.lastError = null;
        }
        return new Result(value, null);
    }

    private Result failed(Stream stream, String message) {
        stream.failedCalls++;
        stream.lastError = message;
        stream.backoffMs = stream.backoffMs == 0 ? Math.min(FIRST_BACKOFF_MS, settings.backoffMaxMs)
                : Math.min(stream.backoffMs * 2, settings.backoffMaxMs);
        stream.retryAtNanos = System.nanoTime() + stream.backoffMs * 1000000L;
        if (!stream.down) {
            stream.down = true;
            LOG.error(message + " -- thread " + key + " (" + stream.type + ", " + stream.unit
                    + " mode): the mockjutsu function returns \"\" and sets ${" + MockjutsuEventSourcing.ERROR_VARIABLE
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
