import { describe, expect, it } from 'vitest';
import { JobRunner, type JobContext } from '../../src-main/jobs/runner';
import { AppError } from '../../src-main/core/errors';

// The core's one mechanism for long work, on work whose units are released one by one by
// the test: what the owner sees while it runs, after a cancel, after an error.

const deputy = { userId: 1, fullName: 'Белова Светлана Игоревна' };
const teacher = { userId: 2, fullName: 'Петров Иван Сергеевич' };

/** Units that end only when the test says so. */
class Units {
  private releases: (() => void)[] = [];
  private waiters: (() => void)[] = [];
  readonly started: string[] = [];

  /** The work: `labels.length` units, each waiting for `release()`. */
  work(labels: string[], failAt?: { index: number; error: unknown }) {
    return async (job: JobContext) => {
      job.setTotal(labels.length);
      for (const [index, label] of labels.entries()) {
        if (job.signal.aborted) return `Остановлено после ${index}`;
        job.working(label);
        this.started.push(label);
        await new Promise<void>((resolve) => {
          this.releases.push(resolve);
          this.waiters.splice(0).forEach((wake) => wake());
        });
        if (failAt?.index === index) throw failAt.error;
        job.unitDone({ label, fileName: `${label}.pdf` });
      }
      return `Готово: ${labels.length}`;
    };
  }

  /** Waits until a unit is in hand, then lets it finish. */
  async release(): Promise<void> {
    while (this.releases.length === 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const runner = (concurrency = 2) => {
  const logged: unknown[] = [];
  return { jobs: new JobRunner({ now: () => new Date('2026-11-12T08:00:00Z'), concurrency, logError: (error) => logged.push(error) }), logged };
};

async function settle(jobs: JobRunner, jobId: string, userId: number) {
  for (let i = 0; i < 100; i++) {
    const status = jobs.status(jobId, userId);
    if (status.state !== 'running' && status.state !== 'queued') return status;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the job did not end');
}

describe('the jobs runner', () => {
  it('shows progress unit by unit and ends with what it did', async () => {
    const { jobs } = runner();
    const units = new Units();
    const started = jobs.start({ kind: 'test', title: 'Проба', owner: deputy, target: '/tmp/x', run: units.work(['5А', '6Б']) });
    expect(started).toMatchObject({ state: 'running', done: 0, startedBy: deputy.fullName, target: '/tmp/x' });
    await units.release();
    expect(jobs.status(started.jobId, deputy.userId)).toMatchObject({ state: 'running', done: 1, total: 2, current: '6Б', items: [{ label: '5А', status: 'ok', fileName: '5А.pdf' }] });
    await units.release();
    expect(await settle(jobs, started.jobId, deputy.userId)).toMatchObject({ state: 'done', done: 2, current: null, result: 'Готово: 2', error: null, finishedAt: '2026-11-12T08:00:00.000Z' });
  });

  it('«Остановить» stops after the unit in hand; a second cancel changes nothing', async () => {
    const { jobs } = runner();
    const units = new Units();
    const started = jobs.start({ kind: 'test', title: 'Проба', owner: deputy, run: units.work(['5А', '6Б', '7В']) });
    await units.release();
    const cancelling = jobs.cancel(started.jobId, deputy.userId);
    // The unit in hand (6Б) still finishes; 7В never starts.
    expect(cancelling).toMatchObject({ state: 'running', cancelRequested: true, current: '6Б' });
    expect(jobs.cancel(started.jobId, deputy.userId)).toMatchObject({ state: 'running', cancelRequested: true, done: 1 });
    await units.release();
    const over = await settle(jobs, started.jobId, deputy.userId);
    expect(over).toMatchObject({ state: 'cancelled', done: 2, total: 3, result: 'Остановлено после 2' });
    expect(over.items.map((item) => item.label)).toEqual(['5А', '6Б']);
    expect(units.started).toEqual(['5А', '6Б']);
    // Cancelling a job that is over is harmless too.
    expect(jobs.cancel(started.jobId, deputy.userId)).toEqual(over);
  });

  it('an error ends the job with a Russian reason; an unexpected one is logged and not shown', async () => {
    const { jobs, logged } = runner();
    const units = new Units();
    const refused = jobs.start({
      kind: 'test',
      title: 'Проба',
      owner: deputy,
      run: units.work(['5А', '6Б'], { index: 1, error: new AppError('validation', 'В классе 6Б нет учеников.') }),
    });
    await units.release();
    await units.release();
    expect(await settle(jobs, refused.jobId, deputy.userId)).toMatchObject({ state: 'failed', done: 1, error: 'В классе 6Б нет учеников.' });
    expect(logged).toEqual([]);

    const crash = new TypeError("Cannot read properties of undefined (reading 'id')");
    const broken = jobs.start({ kind: 'test', title: 'Проба', owner: deputy, run: units.work(['5А'], { index: 0, error: crash }) });
    await units.release();
    const over = await settle(jobs, broken.jobId, deputy.userId);
    expect(over.error).toBe('Задание остановлено из-за внутренней ошибки; подробности записаны в журнал ошибок.');
    expect(logged).toEqual([crash]);

    const described = jobs.start({ kind: 'test', title: 'Проба', owner: deputy, describeError: () => 'Флешка отключена.', run: units.work(['5А'], { index: 0, error: crash }) });
    await units.release();
    expect((await settle(jobs, described.jobId, deputy.userId)).error).toBe('Флешка отключена.');
  });

  it('another user neither sees nor stops the job; «busy» names the holder, its id only to its owner', async () => {
    const { jobs } = runner();
    const units = new Units();
    const busy = { key: 'print.school', busy: () => 'Печать всей школы уже идёт.' };
    const started = jobs.start({ kind: 'print.school', title: 'Печать', owner: deputy, exclusive: busy, run: units.work(['5А']) });
    expect(() => jobs.status(started.jobId, teacher.userId)).toThrow(expect.objectContaining({ kind: 'not_found' }));
    expect(() => jobs.cancel(started.jobId, teacher.userId)).toThrow(expect.objectContaining({ kind: 'not_found' }));
    expect(jobs.mine(teacher.userId)).toEqual([]);
    expect(jobs.status(started.jobId, deputy.userId).cancelRequested).toBe(false);

    expect(() => jobs.start({ kind: 'print.school', title: 'Печать', owner: teacher, exclusive: busy, run: async () => {} })).toThrow(
      expect.objectContaining({ kind: 'conflict', message: 'Печать всей школы уже идёт.', details: undefined }),
    );
    expect(() => jobs.start({ kind: 'print.school', title: 'Печать', owner: deputy, exclusive: busy, run: async () => {} })).toThrow(
      expect.objectContaining({ kind: 'conflict', details: { jobId: started.jobId } }),
    );
    await units.release();
    expect((await settle(jobs, started.jobId, deputy.userId)).state).toBe('done');
    expect(jobs.mine(deputy.userId, 'print.school').map((job) => job.jobId)).toEqual([started.jobId]);
  });

  it('runs a limited number at once; the rest wait in order, and a waiting job cancelled never runs', async () => {
    const { jobs } = runner(1);
    const units = new Units();
    const first = jobs.start({ kind: 'test', title: 'Первое', owner: deputy, run: units.work(['1']) });
    const second = jobs.start({ kind: 'test', title: 'Второе', owner: deputy, run: units.work(['2']) });
    const third = jobs.start({ kind: 'test', title: 'Третье', owner: deputy, run: units.work(['3']) });
    expect([first.state, second.state, third.state]).toEqual(['running', 'queued', 'queued']);
    expect(jobs.cancel(second.jobId, deputy.userId)).toMatchObject({ state: 'cancelled', cancelRequested: true });
    await units.release();
    expect((await settle(jobs, first.jobId, deputy.userId)).state).toBe('done');
    expect(jobs.status(third.jobId, deputy.userId).state).toBe('running');
    await units.release();
    expect((await settle(jobs, third.jobId, deputy.userId)).state).toBe('done');
    expect(units.started).toEqual(['1', '3']);
  });

  it('closing the core stops running jobs after their unit and refuses new ones', async () => {
    const { jobs } = runner();
    const units = new Units();
    const started = jobs.start({ kind: 'test', title: 'Проба', owner: deputy, run: units.work(['5А', '6Б']) });
    await new Promise((resolve) => setImmediate(resolve));
    const stopped = jobs.stop();
    await units.release();
    await stopped;
    expect(jobs.status(started.jobId, deputy.userId)).toMatchObject({ state: 'cancelled', done: 1 });
    expect(() => jobs.start({ kind: 'test', title: 'Проба', owner: deputy, run: async () => {} })).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });
});
