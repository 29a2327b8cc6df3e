// @ts-check
/**
 * Ctrl-C during a run. The first SIGINT only asks the run to stop: no new case is
 * scheduled, the case in flight finishes (or hits its case timeout) and its record is
 * appended, then the report is written. A second SIGINT quits at once; every record
 * appended so far is already on disk, since records are appended synchronously.
 */

export class Interrupt {
  /**
   * @param {{ onFirst: () => void, onSecond: () => void }} handlers called on the first and on any later SIGINT
   * @param {NodeJS.EventEmitter} [proc] where SIGINT arrives (the process; an emitter in tests)
   */
  constructor(handlers, proc = process) {
    this.handlers = handlers;
    this.proc = proc;
    /** Whether a stop was asked for. */
    this.requested = false;
    this.listener = () => this.signal();
  }

  /** Starts listening for SIGINT (replacing Node's default, which exits at once). */
  install() {
    this.proc.on('SIGINT', this.listener);
    return this;
  }

  /** Stops listening. */
  uninstall() {
    this.proc.off('SIGINT', this.listener);
  }

  /** One SIGINT: the first asks to stop, a later one quits. */
  signal() {
    if (this.requested) {
      this.handlers.onSecond();
      return;
    }
    this.requested = true;
    this.handlers.onFirst();
  }
}
