/**
 * Where tuned configurations persist: IndexedDB in the browser (one object store,
 * one key), a JSON file for the CLI (the page hands its records to Node, which writes
 * `--tune FILE`), or nowhere (memory only).
 */
import type { TuningRecord } from '../gpu/tuning';

/** Loads and saves every tuning record at once. */
export interface TuneStore {
  load(): Promise<unknown>;
  save(records: TuningRecord[]): Promise<void>;
}

/** Keeps nothing beyond the page's lifetime. */
export function memoryStore(): TuneStore {
  let data: TuningRecord[] = [];
  return {
    load: async () => data,
    save: async (records) => {
      data = [...records];
    },
  };
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** IndexedDB store `kernelscope-tuning` (database name overridable, e.g. for tests). */
export function indexedDbStore(database = 'kernelscope-tuning'): TuneStore {
  const open = (): Promise<IDBDatabase> => {
    const r = indexedDB.open(database, 1);
    r.onupgradeneeded = () => r.result.createObjectStore('records');
    return request(r);
  };
  return {
    async load() {
      const db = await open();
      try {
        return await request(db.transaction('records', 'readonly').objectStore('records').get('all'));
      } finally {
        db.close();
      }
    },
    async save(records) {
      const db = await open();
      try {
        const tx = db.transaction('records', 'readwrite');
        tx.objectStore('records').put(records, 'all');
        await new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
        });
      } finally {
        db.close();
      }
    },
  };
}
