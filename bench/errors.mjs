// @ts-check
/**
 * The CLI's typed error: a bad option, plan, output folder or results file. Its
 * message names the option (or file) and the value at fault, and the CLI prints it
 * and exits non-zero before anything is written.
 */

export class BenchCliError extends Error {
  /**
   * @param {string} subject the option (`--sizes`) or file at fault
   * @param {string} message what is wrong with it, naming the value
   */
  constructor(subject, message) {
    super(`${subject}: ${message}`);
    this.name = 'BenchCliError';
    /** @readonly */
    this.subject = subject;
  }
}
