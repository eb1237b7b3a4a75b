package io.mockjutsu.jmeter.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The items of one sidecar pool fetched ahead for all threads of this engine (JVM): a lock-free
 * queue that a background fetch refills when it falls to half of {@code mockjutsu.pool.prefetch}
 * items, so that a call normally takes an item already in memory, as the event function's
 * background prefetch does for sessions.
 *
 * <p>Exactly once, none lost: the buffer takes items from a non-recyclable pool as a
 * <em>holder</em> (this engine's name plus a random id), so the sidecar answers each item's
 * ticket. An item leaves the queue to exactly one caller (a poll of the queue). At test end
 * ({@link #giveBackAll}, called by the engine's testEnded, or at JVM exit) the items still in
 * the queue, which no thread took and none will, go back to the sidecar through
 * {@code POST /pools/{name}/return}; the sidecar hands them out again first, and it accepts only
 * tickets this holder holds, all or nothing, so an item cannot be put back twice. The buffer is
 * shared by the engine's threads rather than kept per thread so that a thread that stops (or
 * dies) never strands items another thread could use.
 *
 * <p>What is still lost, never handed out twice: items of an answer that never arrived (a
 * timeout after the sidecar allocated), and the buffer of an engine killed before test end
 * (kill -9).
 */
final class PoolBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(MockjutsuPool.class);
    private static final long RETRY_AFTER_FAILURE_NS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Buffers of this JVM by sidecar URL and pool name, for the current test run. */
    private static final ConcurrentHashMap<String, PoolBuffer> BUFFERS = new ConcurrentHashMap<String, PoolBuffer>();
    private static final AtomicBoolean SHUTDOWN_HOOK = new AtomicBoolean();

    /** One item and its ticket (-1 when the pool answered none: a recyclable pool). */
    private static final class Item {
        final String value;
        final long ticket;

        Item(String value, long ticket) {
            this.value = value;
            this.ticket = ticket;
        }
    }

    /** Outcome of {@link #next}: the item, or null with the sidecar's exhaustion message. */
    static final class Next {
        final String value;
        final String exhaustedBecause;

        Next(String value, String exhaustedBecause) {
            this.value = value;
            this.exhaustedBecause = exhaustedBecause;
        }
    }

    final Settings settings;
    final String pool;
    final String holder;
    private final int prefetch;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<Item>();
    /** Items in the queue (ConcurrentLinkedQueue.size() walks the queue). */
    private final AtomicInteger size = new AtomicInteger();

    /** Guards {@link #pending} only; never held during I/O. */
    private final Object lock = new Object();
    private FutureTask<PoolDraw> pending;

    private volatile boolean recyclable;
    /** The last draw said the pool has nothing left: no background refill until a caller finds the queue empty. */
    private volatile boolean drained;
    /** A background refill failed: none before this time (nanoTime). */
    private volatile long refillNotBefore;
    /** Set at test end: the buffer gives its items back and takes no more. */
    volatile boolean closed;

    private PoolBuffer(Settings settings, String pool, int prefetch) {
        this.settings = settings;
        this.pool = pool;
        this.prefetch = prefetch;
        this.holder = holderName(Settings.engineId());
    }

    /** The buffer of {@code pool} at {@code settings.url} for this run, made on first use. */
    static PoolBuffer of(Settings settings, String pool, int prefetch) {
        String key = settings.url + '\u0000' + pool;
        PoolBuffer b = BUFFERS.get(key);
        if (b == null) {
            PoolBuffer made = new PoolBuffer(settings, pool, prefetch);
            b = BUFFERS.putIfAbsent(key, made);
            if (b == null) {
                b = made;
                installShutdownHook();
            }
        }
        return b;
    }

    /** This engine's holder name: the engine id (printable, no space) and a random id. */
    static String holderName(String engineId) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < engineId.length() && b.length() < 120; i++) {
            char c = engineId.charAt(i);
            b.append(c > 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return b.append('/').append(UUID.randomUUID()).toString();
    }

    /**
     * The next item; null value when the pool is exhausted (the message says why).
     *
     * @throws SidecarException when the sidecar cannot be reached or answers an error
     */
    Next next() throws SidecarException {
        while (true) {
            Item item = queue.poll();
            if (item != null) {
                int left = size.decrementAndGet();
                if (left <= prefetch / 2 && !drained && !closed && System.nanoTime() - refillNotBefore >= 0) {
                    fetch(); // in the background; the caller does not wait
                }
                return new Next(item.value, null);
            }
            // nothing in memory: wait for the fetch in flight, or start one and wait for it
            PoolDraw draw = await(fetch());
            if (draw.items.isEmpty()) {
                return new Next(null, draw.message);
            }
            // the draw's items are in the queue (other threads may take them first: poll again)
        }
    }

    /** The fetch in flight, or a new one (null when the buffer is closed). */
    private FutureTask<PoolDraw> fetch() {
        FutureTask<PoolDraw> task;
        synchronized (lock) {
            if (pending != null && !pending.isDone()) {
                return pending;
            }
            final int n = recyclable ? settings.batch : prefetch;
            task = new FutureTask<PoolDraw>(new Callable<PoolDraw>() {
                @Override
                public PoolDraw call() throws SidecarException {
                    return take(n);
                }
            });
            pending = task;
        }
        try {
            ThreadState.FETCHERS.execute(task);
        } catch (RuntimeException e) { // rejected: the JVM is shutting down
            task.run();
        }
        return task;
    }

    /** One draw, run by a fetch thread: its items go into the queue before the fetch completes. */
    private PoolDraw take(int n) throws SidecarException {
        PoolDraw draw;
        try {
            draw = SidecarClient.take(settings, pool, n, holder);
        } catch (SidecarException e) {
            refillNotBefore = System.nanoTime() + RETRY_AFTER_FAILURE_NS;
            throw e;
        }
        recyclable = draw.recyclable;
        drained = draw.exhausted;
        for (int i = 0; i < draw.items.size(); i++) {
            queue.add(new Item(draw.items.get(i), draw.tickets == null ? -1 : draw.tickets[i]));
        }
        size.addAndGet(draw.items.size());
        return draw;
    }

    private PoolDraw await(FutureTask<PoolDraw> f) throws SidecarException {
        try {
            // the HTTP timeouts bound the fetch itself; this is only a safety net
            return f.get(2L * settings.timeoutMs + 1000L, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // JMeter is stopping the thread
            throw new SidecarException("mockjutsu: interrupted while waiting for the sidecar (pool " + pool + ")");
        } catch (TimeoutException e) {
            throw new SidecarException("mockjutsu sidecar " + settings.url + ": no answer within " + settings.timeoutMs
                    + " ms (mockjutsu.timeout_ms) [POST /pools/" + pool + "/take]");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof SidecarException ? (SidecarException) cause
                    : new SidecarException("mockjutsu: pool fetch failed: " + cause, cause);
        }
    }

    /**
     * Closes this buffer and gives its unused items of a non-recyclable pool back to the
     * sidecar. Returns how many went back.
     */
    int giveBack() {
        closed = true;
        FutureTask<PoolDraw> f;
        synchronized (lock) {
            f = pending;
        }
        if (f != null) {
            try {
                f.get(2L * settings.timeoutMs + 1000L, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // a failed fetch brought nothing; a fetch still running past its timeout is left to be lost
            }
        }
        List<Long> tickets = new ArrayList<Long>();
        int untracked = 0;
        for (Item item = queue.poll(); item != null; item = queue.poll()) {
            size.decrementAndGet();
            if (item.ticket >= 0) {
                tickets.add(item.ticket);
            } else {
                untracked++;
            }
        }
        if (tickets.isEmpty()) {
            return 0;
        }
        long[] all = new long[tickets.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = tickets.get(i);
        }
        int returned = 0;
        try {
            for (int from = 0; from < all.length; from += Settings.MAX_BATCH) {
                returned += SidecarClient.giveBack(settings, pool, holder, all, from, Math.min(all.length, from + Settings.MAX_BATCH));
            }
            LOG.info("mockjutsu: gave " + returned + " prefetched but unused item(s) of pool " + pool + " back to the sidecar "
                    + settings.url + " (they are handed out again first)" + (untracked > 0 ? "; " + untracked + " without ticket dropped" : ""));
        } catch (SidecarException e) {
            LOG.warn("mockjutsu: " + (all.length - returned) + " prefetched but unused item(s) of pool " + pool
                    + " could not be given back, so they are lost (never handed out twice): " + e.getMessage());
        }
        return returned;
    }

    /** Test end (or JVM exit): every buffer gives its unused items back; the next run starts afresh. */
    static int giveBackAll() {
        int returned = 0;
        for (String key : new ArrayList<String>(BUFFERS.keySet())) {
            PoolBuffer b = BUFFERS.remove(key);
            if (b != null) {
                returned += b.giveBack();
            }
        }
        return returned;
    }

    private static void installShutdownHook() {
        if (SHUTDOWN_HOOK.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                    @Override
                    public void run() {
                        giveBackAll(); // a run whose testEnded did not reach us (e.g. functions compiled mid-run)
                    }
                }, "mockjutsu-pool-give-back"));
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    /** Items in memory (tests). */
    int buffered() {
        return size.get();
    }
}
