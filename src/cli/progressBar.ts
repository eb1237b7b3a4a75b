/** What the progress bar writes to: stderr, or a fake terminal in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Counters a long run updates; the bar reads them. */
export interface ProgressCounter {
  /** Items done (sessions for event_stream). */
  items: number;
  /** Events written so far (event_stream only). */
  events: number;
}

const BAR_WIDTH = 20;
const RENDER_EVERY_MS = 100;

function grouped(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * One self-rewriting line on a terminal: bar, count, rate and ETA. Redraws at most every
 * 100 ms so it costs nothing next to the generation.
 */
export class ProgressBar {
  private readonly startedAt: number;
  private lastRender = -Infinity;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly unit: string,
    readonly counter: ProgressCounter = { items: 0, events: 0 },
    private readonly now: () => number = () => Date.now(),
  ) {
    this.startedAt = now();
  }

  /** The line as it would be drawn now. */
  line(): string {
    const { items, events } = this.counter;
    const elapsed = (this.now() - this.startedAt) / 1000;
    const fraction = this.total > 0 ? Math.min(1, items / this.total) : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const rate = elapsed > 0 ? items / elapsed : 0;
    const eta = rate > 0 ? (this.total - items) / rate : Infinity;
    let text = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${(fraction * 100).toFixed(1)}% ` +
      `${grouped(items)}/${grouped(this.total)} ${this.unit}  ${grouped(rate)} ${this.unit}/s`;
    if (events > 0 && elapsed > 0) text += `  ${grouped(events / elapsed)} events/s`;
    text += `  ETA ${duration(eta)}`;
    const columns = this.stream.columns;
    return columns !== undefined && columns > 10 && text.length >= columns ? text.slice(0, columns - 1) : text;
  }

  /** Redraws if the last draw is old enough. */
  update(): void {
    const t = this.now();
    if (t - this.lastRender < RENDER_EVERY_MS) return;
    this.lastRender = t;
    this.drawn = true;
    this.stream.write('\r\x1b[K' + this.line());
  }

  /** Removes the line (done, failed or interrupted). */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/** A bar on `stream` when it is a terminal; undefined (silent) otherwise. */
export function progressBarFor(stream: ProgressStream, total: number, unit: string): ProgressBar | undefined {
  return stream.isTTY === true ? new ProgressBar(stream, total, unit) : undefined;
}
