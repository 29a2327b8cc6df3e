/** The registry of peers. Each loads lazily, so a run without peers never fetches them. */
import type { PeerFactory } from './types';

export type { Peer, PeerContext, PeerFactory } from './types';

export const PEERS: Record<string, PeerFactory> = {
  tfjs: async (ctx) => (await import('./tfjs')).createTfjsPeer(ctx),
  ort: async (ctx) => (await import('./ort')).createOrtPeer(ctx),
  jaxjs: async (ctx) => (await import('./jaxjs')).createJaxjsPeer(ctx),
};
