import type { DataType } from './dataTypes.js';
import type { SessionGenerator } from './sessionGenerator.js';

/**
 * Items 0..count-1 of a type's sequence for a partition, lazily, each numbered from a running
 * global position (event streams get consecutive positions across sessions; other types use
 * none). The one place that numbers `bulk`, `template`, exports and the sidecar's bulk streams.
 */
export function* positionedItems<T>(type: DataType<T>, generator: SessionGenerator, partition: string, count: number): Generator<T> {
  let position = 1;
  for (let i = 0; i < count; i++) {
    const item = type.item(generator, partition, i, position);
    position += type.positions(item);
    yield item;
  }
}
