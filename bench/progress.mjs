// @ts-check
/**
 * The progress display: "case i of n" with the elapsed time and an ETA, on one
 * rewritten line when stderr is a terminal; otherwise one line when a case starts
 * (so a log shows which case is in flight) and one when it finishes.
 */

/**
 * "1:05" style minutes:seconds.
 * @param {number} s
 */
export function fmtDuration(s) {
  if (!Number.isFinite(s) || s < 0) return '?';
  const m = Math.floor(s / 60);
  const sec = Math.round(s - m * 60);
  return `${m}:${String(sec).padStart(2, '0')}`;
}

/**
 * The ETA in seconds: the mean time of the finished cases times the cases left.
 * @param {number} done
 * @param {number} total
 * @param {number} elapsedS
 */
export function etaSeconds(done, total, elapsedS) {
  return done > 0 ? (elapsedS / done) * (total - done) : NaN;
}

export class Progress {
  /**
   * @param {number} total
   * @param {NodeJS.WriteStream} [stream]
   */
  constructor(total, stream = process.stderr) {
    this.total = total;
    this.stream = stream;
    this.tty = Boolean(stream.isTTY);
    this.start = Date.now();
    this.done = 0;
    /** Whether the terminal's cursor is at the end of a progress line. */
    this.midLine = false;
  }

  /** @param {number} i  @param {string} id */
  starting(i, id) {
    if (!this.tty) {
      this.stream.write(`[${i + 1}/${this.total}] ${id}  started\n`);
      return;
    }
    const elapsed = (Date.now() - this.start) / 1000;
    const line = `[${i + 1}/${this.total}] ${id}  (elapsed ${fmtDuration(elapsed)}, ETA ${fmtDuration(etaSeconds(this.done, this.total, elapsed))})`;
    this.stream.write(`\r\x1b[2K${line.slice(0, (this.stream.columns ?? 120) - 1)}`);
    this.midLine = true;
  }

  /**
   * A message on its own line (after the rewritten progress line, on a terminal).
   * @param {string} message
   */
  note(message) {
    this.stream.write(`${this.tty && this.midLine ? '\n' : ''}${message}\n`);
    this.midLine = false;
  }

  /** @param {number} i  @param {{id: string, status: string, reason?: string, wall?: {median: number}}} r */
  finished(i, r) {
    this.done = i + 1;
    const elapsed = (Date.now() - this.start) / 1000;
    const what = r.status === 'ok' && r.wall ? `${r.wall.median.toPrecision(3)} ms` : `FAILED: ${(r.reason ?? '').slice(0, 160)}`;
    const line = `[${i + 1}/${this.total}] ${r.id}  ${what}  (elapsed ${fmtDuration(elapsed)}, ETA ${fmtDuration(etaSeconds(this.done, this.total, elapsed))})`;
    this.stream.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    this.midLine = false;
  }
}
