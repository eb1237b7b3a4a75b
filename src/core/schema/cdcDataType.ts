import type { DataType } from '../dataTypes.js';
import { createCdcGenerator, type CdcEvent, type CdcGenerator, type CdcStream } from './cdcEventStream.js';

// Change events carry row state, so event k of a partition needs events 0..k-1: keep the
// last stream and continue it when the next index is asked for (bulk, k6 and JMeter do).
let cache: { seed: string; generator: CdcGenerator; partition: string; stream: CdcStream; next: number } | undefined;

/**
 * `cdc_event` as a {@link DataType}: item k of a partition is change event k of its stream
 * (default tables). Register it in `DATA_TYPES` to serve it through `jutsu` and every surface.
 */
export const cdcEventDataType: DataType<CdcEvent> = {
  name: 'cdc_event',
  description: 'a Debezium-style change event (op c/u/d, before, after, source) of the customers, orders or products table, coherent per row',
  item: (g, partition, index) => {
    let c = cache;
    if (c === undefined || c.seed !== g.seed) {
      const generator = createCdcGenerator({ seed: g.seed });
      c = cache = { seed: g.seed, generator, partition, stream: generator.stream(partition), next: 0 };
    }
    if (c.partition !== partition || c.next > index) {
      c.partition = partition;
      c.stream = c.generator.stream(partition);
      c.next = 0;
    }
    while (c.next < index) {
      c.stream.next();
      c.next++;
    }
    c.next++;
    return c.stream.next();
  },
  positions: () => 0,
};
