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

const singleOf = { mark: 'journal.saveMark', deleteMark: 'journal.deleteMark', attendance: 'journal.setAttendance' } as const;

/**
 * A core that answers each edit by `answer`. A batch (`journal.saveCells`) is unpacked as the
 * real core does: every cell answered as its single save, or — when one is refused — the whole
 * batch refused with nothing applied; `sent` lists the edits applied or refused alone, in order.
 */
function scriptedCore(answer: (sent: Sent, index: number) => unknown) {
  const sent: Sent[] = [];
  const batches: Sent[][] = [];
  const call = async (method: OutboxMethod, input: Record<string, unknown>) => {
    if (method === 'journal.saveCells' && (input.cells as { kind?: unknown }[]).every((cell) => typeof cell.kind === 'string' && cell.kind in singleOf)) {
      const cells = (input.cells as Record<string, unknown>[]).map(({ kind, ...rest }) => ({ method: singleOf[kind as keyof typeof singleOf] as OutboxMethod, input: structuredClone(rest) }));
      batches.push(cells);
      const results = cells.map((cell, index) => {
        const value = answer(cell, sent.length + index);
        const kind = Object.entries(singleOf).find(([, single]) => single === cell.method)![0];
        return kind === 'deleteMark' ? { kind, markId: cell.input.markId } : { kind, [kind]: value };
      });
      sent.push(...cells);
      return { results };
    }
    const request = { method, input: structuredClone(input) };
    sent.push(request);
    return answer(request, sent.length - 1);
  };
  return { sent, batches, call };
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

  it('a lesson created offline and refused after a restart, with no page open: its marks are never sent, and the refusal in the list names them', async () => {
    const disk = new DiskLike();
    const offline = new Outbox(disk, async () => Promise.reject({ kind: 'unavailable', message: 'нет связи' }));
    offline.setUser(1);
    await offline.submit({ method: 'journal.saveLesson', input: { loadId: 3, date: '2026-10-14', lessonNumber: 2, topic: 'Проценты', idempotencyKey: 'key-lesson-1' }, refs: [], label: 'новый урок 14.10' }).stored;
    const intoLesson = (key: string, label: string, method: 'journal.saveMark' | 'journal.setAttendance', input: Record<string, unknown>) =>
      offline.submit({ method, input: { lessonId: -1, studentId: 3, ...input, idempotencyKey: key }, refs: [{ path: ['lessonId'], fromKey: 'key-lesson-1', pick: 'lessonId' }], label }).stored;
    await intoLesson('key-lesson-mark', 'Белова Дарья, 14.10 — отметка 5', 'journal.saveMark', { value: '5', workTypeId: 1, comment: '' });
    await intoLesson('key-lesson-absent', 'Белова Дарья, 14.10 — пропуск', 'journal.setAttendance', { code: 'ОТ', version: 0 });
    offline.stop();

    const refusal = { kind: 'locked', message: 'Период закрыт: итоговые отметки выставлены.' };
    const core = scriptedCore((request) => {
      if (request.method === 'journal.saveLesson') throw refusal;
      return { id: 1, version: 1 };
    });
    const restarted = new Outbox(disk, core.call);
    await restarted.ready();
    restarted.setUser(1);
    await drained(restarted);
    expect(core.sent.map((request) => request.method)).toEqual(['journal.saveLesson']);
    const expected = [['новый урок 14.10', { ...refusal, dropped: ['Белова Дарья, 14.10 — отметка 5', 'Белова Дарья, 14.10 — пропуск'] }]];
    expect(restarted.snapshot().entries.map((entry) => [entry.label, entry.refused])).toEqual(expected);
    // What the teacher reads is on the disk too: a second restart shows the same list.
    expect([...disk.rows.values()].map((entry) => [entry.label, entry.refused])).toEqual(expected);
  });

  it('a backlog left by an outage goes out in batches with each edit\'s entry time; a refused batch falls back to single saves', async () => {
    const disk = new DiskLike();
    let now = new Date('2026-12-03T09:00:00.000Z');
    const clock = () => new Date(now);
    const offline = new Outbox(disk, async () => Promise.reject({ kind: 'unavailable', message: 'нет связи' }), clock);
    offline.setUser(1);
    for (const key of ['key-backlog-1', 'key-backlog-2', 'key-backlog-3']) await offline.submit(mark(key)).stored;
    offline.stop();

    now = new Date('2026-12-03T09:40:00.000Z');
    const conflict = { kind: 'conflict', message: 'Эту запись уже изменил(а) Петрова А. В.; сейчас: «4».' };
    const core = scriptedCore((request) => {
      if (request.input.idempotencyKey === 'key-backlog-2') throw conflict;
      return { id: 50, version: 1 };
    });
    const back = new Outbox(disk, core.call, clock);
    await back.ready();
    back.setUser(1);
    await drained(back);
    // The batch of three was refused as a whole (nothing applied), then each went alone.
    expect(core.batches.map((batch) => batch.map((cell) => cell.input.idempotencyKey))).toEqual([['key-backlog-1', 'key-backlog-2', 'key-backlog-3']]);
    expect(core.sent.map((request) => [request.input.idempotencyKey, request.input.enteredAt])).toEqual([
      ['key-backlog-1', '2026-12-03T09:00:00.000Z'],
      ['key-backlog-2', '2026-12-03T09:00:00.000Z'],
      ['key-backlog-3', '2026-12-03T09:00:00.000Z'],
    ]);
    expect(back.snapshot().entries.map((entry) => [entry.input.idempotencyKey, entry.refused?.message])).toEqual([['key-backlog-2', conflict.message]]);

    // Typed now and sent at once: no entry time (the server's moment of receipt is the entry's).
    const fresh = scriptedCore(() => ({ id: 51, version: 1 }));
    const live = new Outbox(new DiskLike(), fresh.call, clock);
    live.setUser(1);
    live.submit(mark('key-live-1'));
    live.submit(mark('key-live-2'));
    live.submit(mark('key-live-3'));
    await drained(live);
    expect(fresh.sent.map((request) => [request.input.idempotencyKey, request.input.enteredAt])).toEqual([
      ['key-live-1', undefined],
      ['key-live-2', undefined],
      ['key-live-3', undefined],
    ]);
  });
});
