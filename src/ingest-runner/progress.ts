/**
 * A one-line progress bar with count, rate and ETA, redrawn in place on a
 * terminal at most ten times a second. On anything that is not a TTY it
 * writes nothing, so logs and pipes stay clean.
 */
export class Progress {
  private done = 0;
  private last = 0;
  private readonly now: () => number;
  private readonly started: number;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private total: number | null,
    opts: { enabled?: boolean; now?: () => number } = {},
  ) {
    this.tty = (opts.enabled ?? true) && !!out.isTTY;
    this.now = opts.now ?? Date.now;
    this.started = this.now();
  }

  setTotal(total: number | null) {
    this.total = total;
  }

  tick(n = 1) {
    this.done += n;
    if (!this.tty) return;
    const t = this.now();
    if (t - this.last < 100 && this.done !== this.total) return;
    this.last = t;
    this.draw();
  }

  /** Text for the current state (exposed for tests). */
  line(width = 80): string {
    const secs = Math.max((this.now() - this.started) / 1000, 1e-3);
    const rate = this.done / secs;
    const stats = `${this.done}${this.total !== null ? '/' + this.total : ''}  ${rate.toFixed(rate < 10 ? 1 : 0)}/s`;
    if (this.total === null || this.total === 0) return `${stats}  ${fmt(secs)} elapsed`;
    const eta = rate > 0 ? (this.total - this.done) / rate : NaN;
    const tail = `  ${stats}  ETA ${Number.isFinite(eta) ? fmt(eta) : '--'}`;
    const barWidth = Math.max(10, Math.min(40, width - tail.length - 3));
    const filled = Math.round((this.done / this.total) * barWidth);
    return `[${'#'.repeat(Math.min(filled, barWidth))}${'-'.repeat(Math.max(0, barWidth - filled))}]${tail}`;
  }

  private draw() {
    this.out.write(`\r${this.line(this.out.columns ?? 80)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the bar so that a message can be printed on a clean line. */
  clear() {
    if (this.tty && this.drawn) {
      this.out.write('\r\x1b[K');
      this.drawn = false;
    }
  }

  /** Prints a message above the bar. */
  log(message: string) {
    this.clear();
    this.out.write(message.endsWith('\n') ? message : message + '\n');
    if (this.tty && this.done) this.draw();
  }

  finish() {
    if (this.tty && this.done) this.draw();
    if (this.tty && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

export function fmt(secs: number): string {
  const s = Math.round(secs);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
