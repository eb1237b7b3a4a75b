import { frozenJsonCopy } from './jsonCopy.js';

/** A projection's state together with the global position it reflects. */
export interface Snapshot<State = unknown> {
  /** Projection name the snapshot belongs to. */
  readonly name: string;
  /** Global position of the last event folded into `state`. */
  readonly position: number;
  /** JSON-serialisable state. */
  readonly state: State;
}

/** Keeps the latest snapshot per projection name. */
export interface SnapshotStore {
  /** Replaces the snapshot stored under `snapshot.name`. */
  save(snapshot: Snapshot): void;
  /** The latest snapshot under `name`, or undefined. */
  load(name: string): Snapshot | undefined;
}

/** A {@link SnapshotStore} in memory; stores frozen JSON copies, so later mutation cannot leak in. */
export class InMemorySnapshotStore implements SnapshotStore {
  readonly #snapshots = new Map<string, Snapshot>();

  save(snapshot: Snapshot): void {
    this.#snapshots.set(snapshot.name, frozenJsonCopy(snapshot, `snapshot "${snapshot.name}"`).value);
  }

  load(name: string): Snapshot | undefined {
    return this.#snapshots.get(name);
  }
}
