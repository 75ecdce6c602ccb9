import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createCore } from '../../../src-main/app/core';
import { OutboxFileStore } from '../../../src-main/outbox/file-store';
import { Outbox, type OutboxEntry, type OutboxStorage } from '../../../src-renderer/outbox/outbox';
import { TestClock } from '../../support/engines';
import { buildJournalSchool, PASSWORD } from '../../support/journal-fixture';
import { startPostgres } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';

// The journal outbox (src-renderer/outbox, kept on disk by src-main/outbox/file-store.ts in
// the app): what keeping each save durable costs before it is sent, and how long a PC takes
// to send 1 000 edits queued while the PostgreSQL server was down once it is back.

const WARM_UP = 50;
const RUNS = 1000;
const RESEND = 1000;

const quantile = (samples: number[], q: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

function storageOn(store: OutboxFileStore): OutboxStorage {
  return { load: async () => store.load() as unknown as OutboxEntry[], put: async (entry) => store.put(entry), remove: async (id) => store.remove(id) };
}

const markEntry = (id: number, userId: number, input: Record<string, unknown>): OutboxEntry => ({
  id,
  userId,
  method: 'journal.saveMark',
  input,
  refs: [],
  label: 'Математика, 5А: отметка',
  queuedAt: new Date().toISOString(),
});

/** One save through the outbox with an answer at once: the outbox's own cost (the disk write in, the removal out). */
async function overheadFigures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-outbox-'));
  const store = new OutboxFileStore(join(dir, 'outbox.jsonl'));
  try {
    const outbox = new Outbox(storageOn(store), async () => ({ id: 1, version: 1 }));
    await outbox.ready();
    outbox.setUser(1);
    const samples: number[] = [];
    for (let i = 0; i < WARM_UP + RUNS; i++) {
      const started = performance.now();
      const { settled } = outbox.submit({ method: 'journal.saveMark', input: { lessonId: 1, studentId: 1, value: '5', workTypeId: 1, comment: '', idempotencyKey: `bench-overhead-${i}` }, refs: [], label: 'отметка' });
      await settled;
      await outbox.flush();
      if (i >= WARM_UP) samples.push(performance.now() - started);
    }
    // How long an acknowledged edit waits for the group commit to reach the disk (power-cut safety).
    const flushes: number[] = [];
    for (let i = 0; i < 200; i++) {
      store.put(markEntry(1_000_000 + i, 1, { idempotencyKey: `bench-flush-${i}` }));
      const started = performance.now();
      await store.whenFlushed();
      flushes.push(performance.now() - started);
      store.remove(1_000_000 + i);
    }
    return [
      { name: 'outbox overhead per save (file write in, removal out), p50', value: round(quantile(samples, 0.5)), unit: 'ms', target: '' },
      { name: 'outbox overhead per save (file write in, removal out), p95', value: round(quantile(samples, 0.95)), unit: 'ms', target: '≤ 1 ms' },
      { name: 'outbox: acknowledged edit to on disk (group commit fdatasync), p95', value: round(quantile(flushes, 0.95)), unit: 'ms', target: '' },
    ];
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 1 000 marks left in the outbox by an outage, sent by a PC whose core is back (on PostgreSQL, or its SQLite file). */
async function resendFigures(engine: 'postgres' | 'sqlite'): Promise<Figure[]> {
  const server = engine === 'postgres' ? await startPostgres() : null;
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-outbox-'));
  try {
    let databaseUrl = join(dir, 'bench.sqlite');
    if (server) {
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      await admin.query('create database bench_outbox');
      await admin.end();
      const url = new URL(server.adminUrl);
      url.pathname = '/bench_outbox';
      databaseUrl = url.toString();
    }
    const engineName = engine === 'postgres' ? 'PostgreSQL' : 'SQLite';
    const clock = new TestClock();
    const core = await createCore({ databaseUrl, now: clock.now, checkOutputs: false });
    try {
      const school = await buildJournalSchool({ core, clock, url: databaseUrl, close: () => core.close() });
      const lessons: number[] = [];
      for (const date of ['2026-10-12', '2026-10-13', '2026-10-14']) lessons.push((await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date, topic: 'Дроби' })).id);
      const students = [school.students.alekseev, school.students.belova, school.students.volkov, school.students.grigorieva, school.students.egorova];
      const login = await core.call({ method: 'auth.login', input: { login: school.math.login, password: PASSWORD } });
      if (!login.ok) throw new Error(login.error.message);
      const { session, user } = login.value as { session: string; user: { id: number } };

      // What a PC's disk holds after the outage: the queued edits, in order.
      const file = join(dir, 'outbox.jsonl');
      const queued = new OutboxFileStore(file);
      for (let i = 0; i < RESEND; i++) {
        queued.put(markEntry(i + 1, user.id, { lessonId: lessons[i % lessons.length], studentId: students[i % students.length], value: String(2 + (i % 4)), workTypeId: school.workTypes.oral, comment: '', idempotencyKey: `bench-resend-${i}` }));
      }
      queued.close();

      const store = new OutboxFileStore(file);
      const outbox = new Outbox(storageOn(store), async (method, input) => {
        const envelope = await core.call({ method, input, session });
        if (!envelope.ok) throw envelope.error;
        return envelope.value;
      });
      await outbox.ready();
      const started = performance.now();
      const done = new Promise<void>((resolve) => {
        const stop = outbox.subscribe(() => {
          if (outbox.snapshot().entries.length > 0) return;
          stop();
          resolve();
        });
      });
      outbox.setUser(user.id);
      await done;
      await outbox.flush();
      const elapsed = performance.now() - started;
      store.close();
      const refused = outbox.snapshot().entries.filter((entry) => entry.refused).length;
      const count = await core.store.db.selectFrom('mark').select((eb) => eb.fn.countAll<number>().as('n')).where('comment', '=', '').executeTakeFirstOrThrow();
      return [
        { name: `outbox resend of ${RESEND} queued marks, ${engineName}`, value: round(elapsed / 1000, 2), unit: 's', target: engine === 'postgres' ? '≤ 5 s' : '' },
        { name: `outbox resend, ${engineName}: marks in the database afterwards (expected 1000)`, value: Number(count.n), unit: 'marks', target: '= 1000' },
        { name: `outbox resend, ${engineName}: refused`, value: refused, unit: 'edits', target: '= 0' },
      ];
    } finally {
      await core.close();
    }
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const outboxSuite: BenchSuite = {
  name: 'outbox',
  async run() {
    return [...(await overheadFigures()), ...(await resendFigures('postgres')), ...(await resendFigures('sqlite'))];
  },
};
