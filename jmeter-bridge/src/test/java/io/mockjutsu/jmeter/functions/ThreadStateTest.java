package io.mockjutsu.jmeter.functions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** First batches are staggered by thread key, so that threads do not all ask for a batch at once. */
class ThreadStateTest {

    @Test
    void firstBatchIsBetweenOneAndTheBatchSizeAndFixedByTheKey() {
        for (int batch : new int[] {1, 2, 16, 64, 10000}) {
            for (int t = 1; t <= 200; t++) {
                int n = ThreadState.firstBatchSize("engine-a/Thread Group/" + t, batch);
                assertTrue(n >= 1 && n <= batch, batch + ": " + n);
                assertEquals(n, ThreadState.firstBatchSize("engine-a/Thread Group/" + t, batch));
            }
        }
    }

    @Test
    void neighbouringThreadsGetDifferentFirstBatches() {
        Set<Integer> sizes = new HashSet<Integer>();
        for (int t = 1; t <= 32; t++) {
            sizes.add(ThreadState.firstBatchSize("bench/Thread Group/" + t, 64));
        }
        // 32 keys over 64 sizes: spread, not bunched (a constant first batch gives 1)
        assertTrue(sizes.size() >= 20, "distinct first batches: " + sizes);
        int low = 0;
        for (int n : sizes) {
            low += n <= 32 ? 1 : 0;
        }
        assertTrue(low >= 6 && low <= sizes.size() - 6, "both halves used: " + sizes);
    }
}
