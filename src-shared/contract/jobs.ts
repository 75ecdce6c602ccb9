import { z } from 'zod';
import { command, query } from './define';

// Long work — the whole school's print, backups, restore, the year's archive, imports — runs
// as a job in the core: a feature's own method starts it and answers with the job's status;
// from then on the one set of methods below watches it and stops it, whatever the job is.
// A job is its starter's: nobody else sees or stops it.

/** One unit of a job (a class printed, a copy written to one place). */
export const jobItem = z.object({
  /** What the unit is, for people: «5А», «Флешка ZHURNAL». */
  label: z.string(),
  /** ok: done; skipped: nothing to do for it (see message); failed: see message. */
  status: z.enum(['ok', 'skipped', 'failed']),
  message: z.string().nullable(),
  /** The file the unit wrote, its name only; null when none. */
  fileName: z.string().nullable(),
  sha256: z.string().nullable(),
  /** The unit's size in words («12 листов»), or null. */
  summary: z.string().nullable(),
});
export type JobItem = z.infer<typeof jobItem>;

export const jobStatus = z.object({
  jobId: z.string(),
  /** What kind of work it is, e.g. `print.school`, `backup`; the feature's own name for it. */
  kind: z.string(),
  /** The job's name for people: «Печать журналов всей школы». */
  title: z.string(),
  /** queued: waits for another long job to end; running; then done, cancelled or failed. */
  state: z.enum(['queued', 'running', 'done', 'cancelled', 'failed']),
  /** «Остановить» was pressed: the job stops after the unit in hand. */
  cancelRequested: z.boolean(),
  /** Where the job writes (a folder or a file), or null. */
  target: z.string().nullable(),
  /** Units finished (whatever their status) of `total`; total is 0 while not yet known. */
  done: z.number().int(),
  total: z.number().int(),
  /** The unit in hand, for people; null when none is. */
  current: z.string().nullable(),
  items: z.array(jobItem),
  /** When the job is over: what it did, in one Russian sentence (or null). */
  result: z.string().nullable(),
  /** Why the job failed (state failed), in Russian. */
  error: z.string().nullable(),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type JobStatus = z.infer<typeof jobStatus>;

export const jobId = z.string().min(1, 'Не указано задание').max(100, 'Неверное задание');

export const jobsContract = {
  'jobs.status': query('session', z.object({ jobId }).strict(), jobStatus, 'Ход своего долгого задания: сколько готово, что сейчас, ошибки'),
  'jobs.cancel': command('session', z.object({ jobId }).strict(), jobStatus, 'Остановить своё долгое задание после текущей части (сделанное остаётся)'),
  'jobs.mine': query(
    'session',
    z.object({ kind: z.string().max(100).optional() }).strict(),
    z.array(jobStatus),
    'Свои долгие задания этого запуска программы: идущие и недавно законченные, новые первыми',
  ),
};
