import type { BackupSettings, BackupStatus } from '../../src-shared/contract/backup';
import type { Store } from '../store/database';
import { nextOccurrence, previousOccurrence } from './cron-time';
import { configuredDestinations, destinationKey, destinationTitle, driveFinder, resolveDestination, type Destination, type DriveFinder } from './destinations';
import { fingerprintOf, readSigningPublicKey } from './keys';
import { backupInProgress } from './run';
import { readBackupSettings, readEncryptionKey } from './settings';

/** A scheduled copy may take a while: it counts as missing only this long after its time. */
export const OVERDUE_GRACE_MS = 30 * 60_000;
/** D-37/D-38: a copy at least every 1–2 weeks, whatever the schedule says. */
export const MAX_AGE_MS = 14 * 24 * 3600_000;

export async function schoolTimeZone(store: Store): Promise<string> {
  const school = await store.db.selectFrom('school').select('time_zone').where('id', '=', 1).executeTakeFirst();
  return school?.time_zone ?? 'Europe/Moscow';
}

export async function lastSuccess(store: Store, destination: string) {
  return store.db
    .selectFrom('backup_run')
    .selectAll()
    .where('destination', '=', destination)
    .where('status', '=', 'ok')
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

async function lastAttempt(store: Store, destination: string) {
  return store.db
    .selectFrom('backup_run')
    .selectAll()
    .where('destination', '=', destination)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Configured destinations with no successful copy since the last scheduled moment. */
export async function dueDestinations(store: Store, settings: BackupSettings, timeZone: string, now: Date): Promise<{ due: Destination[]; scheduledAt: Date | null }> {
  const scheduledAt = previousOccurrence(settings.schedule, timeZone, now);
  const due: Destination[] = [];
  for (const destination of configuredDestinations(settings)) {
    const success = await lastSuccess(store, destinationKey(destination));
    const successAt = success ? Date.parse(success.started_at) : -Infinity;
    if ((scheduledAt && successAt < scheduledAt.getTime()) || now.getTime() - successAt > MAX_AGE_MS) due.push(destination);
  }
  return { due, scheduledAt };
}

const DAY_MS = 24 * 3600_000;

export async function backupStatus(store: Store, now: Date, findDrive: DriveFinder = driveFinder()): Promise<BackupStatus> {
  const settings = await readBackupSettings(store.db);
  const timeZone = await schoolTimeZone(store);
  const key = await readEncryptionKey(store.db);
  const signing = await readSigningPublicKey(store);
  const scheduledAt = previousOccurrence(settings.schedule, timeZone, now);
  const nextAt = nextOccurrence(settings.schedule, timeZone, now);
  const running = backupInProgress(store);

  const destinations: BackupStatus['destinations'] = [];
  let reason: string | null = null;
  for (const destination of configuredDestinations(settings)) {
    const keyText = destinationKey(destination);
    const location = await resolveDestination(destination, findDrive);
    const success = await lastSuccess(store, keyText);
    const attempt = await lastAttempt(store, keyText);
    const successAt = success ? Date.parse(success.started_at) : null;
    const missedSchedule = scheduledAt !== null && now.getTime() - scheduledAt.getTime() >= OVERDUE_GRACE_MS && (successAt === null || successAt < scheduledAt.getTime());
    const tooOld = successAt === null || now.getTime() - successAt > MAX_AGE_MS;
    const overdue = !running && (missedSchedule || tooOld);
    destinations.push({
      key: keyText,
      kind: destination.kind,
      title: destinationTitle(destination),
      available: location !== null,
      location,
      lastSuccess: success
        ? { at: success.started_at, fileName: success.file_name, sizeBytes: success.size_bytes, ageDays: Math.floor((now.getTime() - Date.parse(success.started_at)) / DAY_MS) }
        : null,
      lastAttempt: attempt ? { at: attempt.started_at, status: attempt.status, error: attempt.error } : null,
      overdue,
    });
    if (overdue && reason === null) {
      if (!location) {
        reason =
          destination.kind === 'drive'
            ? `Флешка «${destination.label}» не подключена: копия будет записана, как только её вставят.`
            : `Папка ${destination.path} недоступна: копия будет записана, как только она появится.`;
      } else if (attempt && attempt.status === 'failed') {
        reason = `Последняя попытка (${destinationTitle(destination)}) не удалась: ${attempt.error ?? 'причина неизвестна'}`;
      } else if (!success) {
        reason = `${destinationTitle(destination)}: резервных копий ещё не было.`;
      } else {
        reason = `${destinationTitle(destination)}: копия по расписанию не сделана (компьютер был выключен?). Она будет сделана при запуске программы.`;
      }
    }
  }
  if (!key) reason = 'Не задан пароль резервных копий: копирование не выполняется.';
  else if (destinations.length === 0) reason = 'Не выбрано, куда копировать: укажите флешку и вторую папку.';

  return {
    settings,
    passwordSet: key !== null,
    signingKeyFingerprint: signing ? fingerprintOf(signing) : null,
    running,
    lastScheduledAt: scheduledAt?.toISOString() ?? null,
    nextScheduledAt: nextAt?.toISOString() ?? null,
    overdue: !key || destinations.length === 0 || destinations.some((d) => d.overdue),
    pendingReason: reason,
    destinations,
  };
}
