// One PC's journal outbox in its own process, kept in the app's on-disk store
// (src-main/outbox/file-store.ts), sending through a core of its own — what the app does
// with the renderer's outbox and the main process's store. Run:
// tsx tests/support/outbox-worker.ts '<json OutboxWorkerPlan>'. Prints progress lines; the
// test kills it with SIGKILL at one of them.
import { createCore } from '../../src-main/core/core';
import { OutboxFileStore } from '../../src-main/outbox/file-store';
import { Outbox, type OutboxEntry, type OutboxStorage } from '../../src-renderer/outbox/outbox';
import { APPLIED_LINE, QUEUED_LINE, SENT_LINE, type OutboxWorkerPlan } from './outbox-plan';

function storageOn(file: string): OutboxStorage {
  const store = new OutboxFileStore(file);
  return {
    load: async () => store.load() as unknown as OutboxEntry[],
    put: async (entry) => store.put(entry),
    remove: async (id) => store.remove(id),
  };
}

async function main() {
  const plan = JSON.parse(process.argv[2] ?? '{}') as OutboxWorkerPlan;
  const core = await createCore({ databaseUrl: plan.databaseUrl, now: () => new Date(plan.nowIso) });
  const login = await core.call({ method: 'auth.login', input: { login: plan.login, password: plan.password } });
  if (!login.ok) throw new Error(login.error.message);
  const { session, user } = login.value as { session: string; user: { id: number } };
  const send = async (method: string, input: unknown) => {
    const envelope = await core.call({ method, input, session });
    if (!envelope.ok) throw envelope.error;
    return envelope.value;
  };
  let applied = 0;
  let allQueued!: () => void;
  const queued = new Promise<void>((resolve) => (allQueued = resolve));
  const call = async (method: string, input: unknown): Promise<unknown> => {
    if (plan.mode === 'queue') throw { kind: 'unavailable', message: 'нет связи' };
    if (plan.mode === 'lostReply') {
      await queued; // every mark is on disk before the first one goes
      await send(method, input);
      if (applied++ === 0) process.stdout.write(`${APPLIED_LINE}\n`);
      return new Promise(() => {}); // the answer is lost on the way
    }
    return send(method, input);
  };
  const outbox = new Outbox(storageOn(plan.storeFile), call);
  await outbox.ready();
  outbox.setUser(user.id);
  if (plan.mode !== 'send') {
    const stored = plan.marks.map((mark) =>
      outbox.submit({
        method: 'journal.saveMark',
        input: { lessonId: mark.lessonId, studentId: mark.studentId, value: mark.value, workTypeId: mark.workTypeId, comment: mark.key, idempotencyKey: mark.key },
        refs: [],
        label: mark.key,
      }).stored,
    );
    await Promise.all(stored);
    allQueued();
    process.stdout.write(`${QUEUED_LINE}\n`);
    await new Promise(() => {}); // until killed
  }
  while (outbox.snapshot().entries.length > 0) await new Promise<void>((resolve) => { const stop = outbox.subscribe(() => { stop(); resolve(); }); });
  await outbox.flush();
  process.stdout.write(`${SENT_LINE}\n`);
  await core.close();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : JSON.stringify(error)}\n`);
  process.exit(1);
});
