import cron from 'node-cron';
import type { Store } from '../store/database';
import { isValidSchedule } from './cron-time';
import { destinationKey, driveFinder, resolveDestination, type DriveFinder } from './destinations';
import type { FileSink } from './file-sink';
import { backupInProgress, logSkippedRun, runBackup, type BackupRunReport } from './run';
import { readBackupSettings, readEncryptionKey } from './settings';
import { dueDestinations, schoolTimeZone } from './status';

/** Stops a recurring timer. */
export type Cancel = () => void;

export interface BackupSchedulerOptions {
  now?: () => Date;
  /** How often to look for the drive and for a missed run (default: every minute). */
  pollIntervalMs?: number;
  /** The recurring timer; tests pass one they drive by hand. */
  every?: (ms: number, work: () => void) => Cancel;
  /** The weekly trigger; default node-cron in the school's time zone. */
  cron?: (expression: string, timeZone: string, work: () => void) => Cancel;
  findDrive?: DriveFinder;
  sink?: FileSink;
  /** After a failed attempt at a destination, wait this long before the next try. */
  retryAfterMs?: number;
  log?: (message: string) => void;
}

export type TickOutcome =
  | { kind: 'idle'; reason: string }
  | { kind: 'up-to-date' }
  | { kind: 'skipped-running' }
  | { kind: 'waiting'; reason: string }
  | { kind: 'ran'; report: BackupRunReport }
  | { kind: 'failed'; error: string };

export interface BackupScheduler {
  /** One look: run what is due. The cron trigger, the poll and the start all come here. */
  tick(reason: 'start' | 'cron' | 'poll'): Promise<TickOutcome>;
  /** The catch-up look made at start. */
  startup: Promise<TickOutcome>;
  stop(): void;
}

const defaultEvery = (ms: number, work: () => void): Cancel => {
  const handle = setInterval(work, ms);
  handle.unref?.();
  return () => clearInterval(handle);
};

const defaultCron = (expression: string, timeZone: string, work: () => void): Cancel => {
  const task = cron.schedule(expression, work, { timezone: timeZone, noOverlap: true });
  return () => void task.stop();
};

/**
 * The weekly backup, started by the main process. A trigger while a run
 * is going is skipped and logged; a drive absent at the scheduled time is polled for and
 * written as soon as it appears; a time missed while the PC was off is caught up at start.
 * The schedule is re-read on every poll, so a changed setting takes effect within a minute.
 */
export function startBackupScheduler(core: { store: Store; now?: () => Date }, options: BackupSchedulerOptions = {}): BackupScheduler {
  const store = core.store;
  const now = options.now ?? core.now ?? (() => new Date());
  const every = options.every ?? defaultEvery;
  const cronFactory = options.cron ?? defaultCron;
  const findDrive = options.findDrive ?? driveFinder();
  const retryAfterMs = options.retryAfterMs ?? 30 * 60_000;
  const log = options.log ?? (() => {});
  let cronCancel: Cancel | null = null;
  let cronKey = '';
  let stopped = false;
  let chain: Promise<unknown> = Promise.resolve();

  async function reschedule(): Promise<void> {
    const settings = await readBackupSettings(store.db);
    const timeZone = await schoolTimeZone(store);
    const key = `${settings.schedule}|${timeZone}`;
    if (key === cronKey || !isValidSchedule(settings.schedule)) return;
    cronCancel?.();
    cronKey = key;
    cronCancel = cronFactory(settings.schedule, timeZone, () => void tick('cron'));
  }

  async function work(reason: 'start' | 'cron' | 'poll'): Promise<TickOutcome> {
    if (stopped) return { kind: 'idle', reason: 'остановлен' };
    await reschedule();
    const at = now();
    const settings = await readBackupSettings(store.db);
    if (!(await readEncryptionKey(store.db))) return { kind: 'idle', reason: 'не задан пароль резервных копий' };
    const timeZone = await schoolTimeZone(store);
    const { due } = await dueDestinations(store, settings, timeZone, at);
    if (due.length === 0) return { kind: 'up-to-date' };
    if (backupInProgress(store)) {
      // Only the scheduled trigger is worth a line in the log; polls simply come back.
      if (reason === 'cron') {
        for (const destination of due) await logSkippedRun(store, at, destinationKey(destination), 'Пропущено: предыдущее резервное копирование ещё выполняется.');
        log('Резервное копирование по расписанию пропущено: предыдущее ещё выполняется.');
      }
      return { kind: 'skipped-running' };
    }
    const ready = [];
    for (const destination of due) {
      if (!(await resolveDestination(destination, findDrive))) continue;
      const lastFailure = await store.db
        .selectFrom('backup_run')
        .select('finished_at')
        .where('destination', '=', destinationKey(destination))
        .where('status', '=', 'failed')
        .orderBy('started_at', 'desc')
        .executeTakeFirst();
      if (reason !== 'cron' && lastFailure?.finished_at && at.getTime() - Date.parse(lastFailure.finished_at) < retryAfterMs) continue;
      ready.push(destination);
    }
    if (ready.length === 0) return { kind: 'waiting', reason: 'место для копии недоступно, ждём' };
    try {
      const report = await runBackup(store, {
        trigger: reason === 'cron' ? 'schedule' : 'catch-up',
        destinations: ready,
        now,
        findDrive,
        ...(options.sink ? { sink: options.sink } : {}),
      });
      for (const result of report.results) log(`Резервная копия (${result.title}): ${result.status}${result.error ? ` — ${result.error}` : ''}`);
      return { kind: 'ran', report };
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      log(`Резервное копирование не выполнено: ${message}`);
      return { kind: 'failed', error: message };
    }
  }

  function tick(reason: 'start' | 'cron' | 'poll'): Promise<TickOutcome> {
    // A cron trigger during a run must see the run (and log the skip), not queue behind it.
    if (reason === 'cron' && backupInProgress(store)) return work(reason);
    const next = chain.then(() => work(reason));
    chain = next.catch(() => {});
    return next;
  }

  const cancelPoll = every(options.pollIntervalMs ?? 60_000, () => void tick('poll'));
  const startup = tick('start');
  return {
    tick,
    startup,
    stop() {
      stopped = true;
      cancelPoll();
      cronCancel?.();
    },
  };
}
