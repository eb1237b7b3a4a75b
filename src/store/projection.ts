import { applyEventHandler, type EventHandler } from './eventHandlers.js';
import type { EventStore, Unsubscribe } from './eventStore.js';
import type { StoredEvent } from './storedEvent.js';
import { jsonCopy } from './jsonCopy.js';
import type { Snapshot, SnapshotStore } from './snapshotStore.js';

/** Options of {@link Projection}. */
export interface ProjectionOptions<State> {
  /** Identifies the projection's snapshots. */
  readonly name: string;
  /** Fresh initial state (handlers mutate it). */
  readonly initialState: () => State;
  /** Where {@link Projection.saveSnapshot} and {@link Projection.loadSnapshot} keep snapshots. */
  readonly snapshots?: SnapshotStore;
}

/**
 * A read model folded from the store's global log: register handlers with {@link when},
 * then {@link catchUp} on demand or {@link startLive} to follow every commit.
 */
export class Projection<State> {
  readonly name: string;
  readonly #store: Pick<EventStore, 'readAll' | 'subscribe'>;
  readonly #snapshots: SnapshotStore | undefined;
  readonly #handlers = new Map<string, EventHandler<State, never>>();
  #state: State;
  #position = 0;
  #unsubscribe: Unsubscribe | undefined;
  #catchingUp = false;
  #catchUpAgain = false;

  constructor(store: Pick<EventStore, 'readAll' | 'subscribe'>, options: ProjectionOptions<State>) {
    this.#store = store;
    this.name = options.name;
    this.#snapshots = options.snapshots;
    this.#state = options.initialState();
  }

  /**
   * Registers the handler for one event type; returns the projection for chaining.
   *
   * @throws Error when `type` already has a handler (two would silently overwrite).
   */
  when<Data = unknown>(type: string, handler: EventHandler<State, Data>): this {
    if (this.#handlers.has(type)) throw new Error(`Projection "${this.name}" already handles "${type}"`);
    this.#handlers.set(type, handler as EventHandler<State, never>);
    return this;
  }

  /** The current state (live object: handlers keep updating it). */
  get state(): State {
    return this.#state;
  }

  /** Global position of the last event processed; 0 before any. */
  get position(): number {
    return this.#position;
  }

  /** Whether the projection follows commits ({@link startLive}). */
  get isLive(): boolean {
    return this.#unsubscribe !== undefined;
  }

  /**
   * Processes every event after {@link position}, oldest first, and resolves to how many it
   * processed (events without a handler count: they were read and passed over). If a handler
   * throws, the position stays on the last event fully applied and the error propagates.
   */
  async catchUp(): Promise<number> {
    // A handler that appends re-enters through a live subscription; fold those events in
    // this loop instead of recursing, so no event is applied twice.
    if (this.#catchingUp) {
      this.#catchUpAgain = true;
      return 0;
    }
    this.#catchingUp = true;
    let processed = 0;
    try {
      do {
        this.#catchUpAgain = false;
        const { events } = await this.#store.readAll({ fromPosition: this.#position + 1 });
        processed += this.#apply(events);
      } while (this.#catchUpAgain);
    } finally {
      this.#catchingUp = false;
    }
    return processed;
  }

  /** Applies events after the current position, in order; returns how many. */
  #apply(events: readonly StoredEvent[]): number {
    let processed = 0;
    for (const event of events) {
      if (event.global_position <= this.#position) continue;
      applyEventHandler(this.#handlers, this.#state, event);
      this.#position = event.global_position;
      processed += 1;
    }
    return processed;
  }

  /**
   * Catches up once, then applies every later commit as it is notified (synchronously, in
   * commit order), with no further call. Resolves to the number of events the initial
   * catch-up processed.
   */
  startLive(): Promise<number> {
    this.#unsubscribe ??= this.#store.subscribe((records) => {
      // during a catch-up its loop reads these too; a gap means we missed some: read them
      if (this.#catchingUp) this.#catchUpAgain = true;
      else if (records[0] !== undefined && records[0].global_position > this.#position + 1) void this.catchUp();
      else this.#apply(records);
    });
    return this.catchUp();
  }

  /** Stops following commits; {@link catchUp} still works. */
  stopLive(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /**
   * Saves a JSON copy of the state with the current position.
   *
   * @throws Error when the projection has no snapshot store.
   */
  saveSnapshot(): Snapshot<State> {
    const snapshot: Snapshot<State> = { name: this.name, position: this.#position, state: this.#state };
    this.#requireSnapshots().save(snapshot);
    return jsonCopy(snapshot, `snapshot "${this.name}"`);
  }

  /**
   * Restores state and position from the latest snapshot, so {@link catchUp} resumes after
   * it. Returns false, changing nothing, when there is none.
   *
   * @throws RangeError when the snapshot is ahead of the store (it belongs to another log).
   */
  async loadSnapshot(): Promise<boolean> {
    const snapshot = this.#requireSnapshots().load(this.name);
    if (!snapshot) return false;
    const { currentGlobalPosition } = await this.#store.readAll({ limit: 0 });
    if (snapshot.position > currentGlobalPosition) {
      throw new RangeError(
        `Snapshot "${this.name}" is at position ${snapshot.position}, beyond the store's ` +
          `${currentGlobalPosition}: it does not belong to this store`,
      );
    }
    this.#state = jsonCopy(snapshot.state as State, `snapshot "${this.name}"`);
    this.#position = snapshot.position;
    return true;
  }

  #requireSnapshots(): SnapshotStore {
    if (!this.#snapshots) throw new Error(`Projection "${this.name}" has no snapshot store`);
    return this.#snapshots;
  }
}
