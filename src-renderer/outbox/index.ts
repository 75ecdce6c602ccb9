import { useSyncExternalStore } from 'react';
import type { MethodName } from '../../src-shared/contract/index';
import { api } from '../api/client';
import { afterNextPaint } from '../lib/after-paint';
import { Outbox, type OutboxSnapshot } from './outbox';
import { indexedDbStorage, memoryStorage, shellStorage } from './storage';

export { SKIPPED, type OutboxEntry, type OutboxRef } from './outbox';

function chooseStorage() {
  if (window.zhurnal?.outbox) return shellStorage(window.zhurnal.outbox);
  if (typeof indexedDB !== 'undefined') return indexedDbStorage();
  return memoryStorage();
}

/** This PC's outbox: one for every page and window of the renderer. */
export const outbox = new Outbox(chooseStorage(), (method, input) => api.call(method as MethodName, input as never), undefined, afterNextPaint);

export function useOutbox(): OutboxSnapshot {
  return useSyncExternalStore(
    (listener) => outbox.subscribe(listener),
    outbox.snapshot,
  );
}

/** How many edits wait on this PC, whoever made them (before anyone has signed in). */
export function useHeldEdits(): number {
  return useSyncExternalStore((listener) => outbox.subscribe(listener), outbox.heldCount);
}
