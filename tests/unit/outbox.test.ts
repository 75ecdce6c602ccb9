import { describe, expect, it } from 'vitest';
import { Outbox, SKIPPED, type OutboxEntry, type OutboxMethod, type OutboxStorage } from '../../src-renderer/outbox/outbox';

// The PC's journal outbox on its own, with a storage in memory that behaves like the disk
// (what was put survives a "restart") and a scripted core.

class DiskLike implements OutboxStorage {
  readonly rows = new Map<number, OutboxEntry>();
  async load() {
    return [...this.rows.values()].map((entry) => structuredClone(entry));
  }
  async put(entry: OutboxEntry) {
    this.rows.set(entry.id, structuredClone(entry));
  }
  async remove(id: number) {
    this.rows.delete(id);
  }
}

type Sent = { method: OutboxMethod; input: Record<string, unknown> };

function scriptedCore(answer: (sent: Sent, index: number) => unknown) {
  const sent: Sent[] = [];
  const call = async (method: OutboxMethod, input: Record<string, unknown>) => {
    const request = { method, input: structuredClone(input) };
    sent.push(request);
    return answer(request, sent.length - 1);
  };
  return { sent, call };
}

const mark = (key: string, value = '5') => ({ method: 'journal.saveMark' as const, input: { lessonId: 7, studentId: 3, value, workTypeId: 1, comment: '', idempotencyKey: key }, refs: [], label: `отметка ${value}` });

async function drained(outbox: Outbox) {
  while (outbox.snapshot().entries.some((entry) => !entry.refused)) {
    await new Promise<void>((resolve) => {
      const stop = outbox.subscribe(() => {
        stop();
        resolve();
      });
    });
  }
  await outbox.flush();
}

describe('the journal outbox', () => {
  it('keeps an edit on disk before it is sent, sends in order, and takes it off when answered', async () => {
    const disk = new DiskLike();
    const core = scriptedCore((request) => ({ id: 100 + Number(String(request.input.idempotencyKey).slice(-1)), version: 1 }));
    const outbox = new Outbox(disk, core.call);
    outbox.setUser(1);
    const first = outbox.submit(mark('key-0000-1'));
    await first.stored;
    expect([...disk.rows.values()].map((entry) => entry.input.idempotencyKey)).toContain('key-0000-1');
    outbox.submit(mark('key-0000-2', '4'));
    await drained(outbox);
    expect(core.sent.map((request) => request.input.idempotencyKey)).toEqual(['key-0000-1', 'key-0000-2']);
    expect(await first.settled).toEqual({ id: 101, version: 1 });
    expect(disk.rows.size).toBe(0);
  });

  it('a "restart" sends what the disk holds with the same keys, only while its author is signed in', async () => {
    const disk = new DiskLike();
    const offline = new Outbox(disk, async () => Promise.reject({ kind: 'unavailable', message: 'нет связи' }));
    offline.setUser(1);
    await offline.submit(mark('key-restart-1')).stored;
    offline.stop();

    const core = scriptedCore(() => ({ id: 5, version: 1 }));
    const restarted = new Outbox(disk, core.call);
    await restarted.ready();
    restarted.setUser(2); // another teacher at this PC: not theirs to send
    await restarted.flush();
    expect(core.sent).toEqual([]);
    expect(restarted.snapshot().entries).toEqual([]);
    restarted.setUser(1);
    await drained(restarted);
    expect(core.sent.map((request) => request.input.idempotencyKey)).toEqual(['key-restart-1']);
    expect(disk.rows.size).toBe(0);
  });

  it('a delete of a mark not yet answered gets the new id and version from the answer to its creation', async () => {
    const disk = new DiskLike();
    const core = scriptedCore((request) => (request.method === 'journal.saveMark' ? { id: 42, version: 3 } : { ok: true }));
    const outbox = new Outbox(disk, core.call);
    outbox.setUser(1);
    outbox.submit(mark('key-create-1'));
    outbox.submit({
      method: 'journal.deleteMark',
      input: { markId: 1, version: 0, idempotencyKey: 'key-delete-1' },
      refs: [
        { path: ['markId'], fromKey: 'key-create-1', pick: 'markId' },
        { path: ['version'], fromKey: 'key-create-1', pick: 'markVersion' },
      ],
      label: 'удалить',
    });
    await drained(outbox);
    expect(core.sent[1]).toEqual({ method: 'journal.deleteMark', input: { markId: 42, version: 3, idempotencyKey: 'key-delete-1' } });
  });

  it('a refused edit goes to its page when one waits; otherwise it stays in the list with the reason, and what depended on it is skipped', async () => {
    const disk = new DiskLike();
    const refusal = { kind: 'conflict', message: 'Эту запись уже изменил(а) Петрова А. В.; сейчас: «4».' };
    const core = scriptedCore((request) => {
      if (request.input.idempotencyKey === 'key-refused-1' || request.input.idempotencyKey === 'key-refused-2') throw refusal;
      return { id: 9, version: 1 };
    });
    const outbox = new Outbox(disk, core.call);
    outbox.setUser(1);
    const waited = outbox.submit(mark('key-refused-1'));
    await expect(waited.settled).rejects.toMatchObject(refusal);

    const unwatched = outbox.submit(mark('key-refused-2'));
    outbox.release([unwatched.id]);
    const dependent = outbox.submit({ method: 'journal.deleteMark', input: { markId: 1, version: 0, idempotencyKey: 'key-dependent' }, refs: [{ path: ['markId'], fromKey: 'key-refused-2', pick: 'markId' }], label: 'удалить' });
    expect(await dependent.settled).toBe(SKIPPED);
    await drained(outbox);
    expect(outbox.snapshot().entries.map((entry) => [entry.label, entry.refused?.message])).toEqual([['отметка 5', refusal.message]]);
    expect(core.sent.map((request) => request.input.idempotencyKey)).toEqual(['key-refused-1', 'key-refused-2']);
    outbox.dismiss(unwatched.id);
    await outbox.flush();
    expect(outbox.snapshot().entries).toEqual([]);
    expect(disk.rows.size).toBe(0);
  });
});
