/**
 * The peer interface: another library running the same cases on the same adapter
 * in the same run, so our time can be divided by theirs. To add a peer, implement
 * `Peer`, add its factory to `PEERS` (peers/index.ts) and its suites to
 * `PEER_SUITES` (cases.ts).
 */
import type { CaseInputs } from '../inputs';
import type { PreparedRun } from '../runner';
import type { BenchCase } from '../types';

export interface Peer {
  /** Short id used in case ids and on the command line (e.g. 'tfjs'). */
  readonly id: string;
  /** Name and version for the report (e.g. 'TensorFlow.js 4.22.0 (webgpu)'). */
  readonly label: string;
  /** Whether this peer can run the case. */
  supports(c: BenchCase): boolean;
  /**
   * Makes the case ready: inputs uploaded. `run()` times one call from the call to
   * the peer's queue being idle; `peak()` reports the peer's own accounting of bytes.
   */
  prepare(c: BenchCase, inputs: CaseInputs): Promise<PreparedRun>;
}

/** What a peer factory gets: the feature level the page's own adapter uses. */
export interface PeerContext {
  featureLevel: 'core' | 'compatibility';
}

export type PeerFactory = (ctx: PeerContext) => Promise<Peer>;
