import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { BackupSummary } from '../../src-shared/contract/backup';
import { localDate } from '../../src-shared/rules/dates';
import { appendAudit } from '../audit/chain';
import type { AuditHeads } from '../audit/anchors';
import { auditKeyOf } from '../audit/key';
import { AppError } from '../core/errors';
import type { JobContext } from '../jobs/runner';
import { pluralForm } from '../printing/russian-numbers';
import { retryWhileSqliteBusy, type Store } from '../store/database';
import { buildClassParts } from './class-parts';
import { damaged, openBackup, sealBackup, type Manifest, type PartData } from './container';
import { configuredDestinations, destinationKey, destinationTitle, driveFinder, resolveDestination, type Destination, type DriveFinder } from './destinations';
import { nodeFileSink, type FileSink } from './file-sink';
import { createEncryptionKey, ensureSigningKey, newContentKey, unwrapPrivateKey } from './keys';
import { findClassJournalPrinter, type ClassJournalPrinter } from './printing-hook';
import { readBackupSettings, readEncryptionKey, writeEncryptionKey, type StoredEncryptionKey } from './settings';
import { printJournals, type PrintJob } from './print-pool';
import { buildDatabasePart, withSnapshotSource, type DatabasePartResult } from './snapshot';
import { applyRetention, backupBaseName, writeVerified } from './writer';

export type BackupTrigger = 'schedule' | 'catch-up' | 'manual' | 'cli';

// ── One run at a time per database, in this process ─────────────────────────────────────
const running = new WeakMap<Store, { since: Date }>();

export function backupInProgress(store: Store): boolean {
  return running.has(store);
}

export function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'неизвестна';
  } catch {
    return 'неизвестна';
  }
}

export function summaryOf(manifest: Manifest, fingerprint: string, contentVerified: boolean, signedByThisSchool: boolean | null): BackupSummary {
  return {
    schoolName: manifest.school.name,
    createdAt: manifest.createdAt,
    appVersion: manifest.appVersion,
    sourceEngine: manifest.sourceEngine,
    migrations: manifest.migrations,
    fingerprint,
    signedByThisSchool,
    contentVerified,
    // The audit key inside is not content to list (the restore keeps it on the PC).
    parts: manifest.parts.filter((p) => p.kind !== 'audit-key').map((p) => ({ name: p.name, title: p.title, rows: p.rows, counts: p.counts })),
    totalRows: manifest.parts.find((p) => p.kind === 'database')?.rows ?? 0,
  };
}

/** An errno in words an administrator can act on. */
export function describeWriteError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'Недостаточно места на носителе.';
    case 'EIO':
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
      return 'Носитель стал недоступен во время записи (флешку извлекли?).';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'Нет прав на запись (носитель защищён от записи?).';
    default:
      return `Ошибка записи: ${(error as Error)?.message ?? String(error)}`;
  }
}

export interface DestinationResult {
  destination: string;
  title: string;
  status: 'ok' | 'failed' | 'skipped';
  file: string | null;
  sizeBytes: number | null;
  error: string | null;
}

export interface BackupRunOptions {
  trigger: BackupTrigger;
  /** Default: the destinations in the settings. */
  destinations?: Destination[];
  now?: () => Date;
  userId?: number | null;
  sink?: FileSink;
  findDrive?: DriveFinder;
  /** Undefined: look for «Printing»; null: no PDFs. */
  printClassJournal?: ClassJournalPrinter | null;
  /** Worker threads printing the default journals (default: print-pool.ts decides by cores and classes). */
  printWorkers?: number;
  /**
   * The backup password, when a person typed it (CLI): checked against the configured one;
   * on a database with no password yet it becomes the school's backup password.
   */
  password?: string;
  /**
   * Run as a job (the app's «Сделать копию сейчас»): progress per step — the snapshot, then
   * each place — and «Остановить»: before sealing nothing is written; after, the places not
   * yet reached are skipped and logged as such.
   */
  job?: JobContext;
}

const STOPPED = 'Остановлено: копирование прервано пользователем.';

export interface BackupRunReport {
  results: DestinationResult[];
  summary: BackupSummary;
  manifest: Manifest;
}

async function encryptionKeyFor(store: Store, options: BackupRunOptions, now: Date): Promise<StoredEncryptionKey> {
  const stored = await readEncryptionKey(store.db);
  if (stored) {
    if (options.password !== undefined) await unwrapPrivateKey(stored.wrappedPrivateKey, options.password);
    return stored;
  }
  if (options.password === undefined) {
    throw new AppError('conflict', 'Не задан пароль резервных копий. Задайте его в разделе «Резервные копии» (или ZHURNAL_BACKUP_PASSWORD для командной строки).');
  }
  const created: StoredEncryptionKey = { ...(await createEncryptionKey(options.password)), setAt: now.toISOString() };
  await retryWhileSqliteBusy(() => store.db.transaction().execute(async (tx) => {
    await writeEncryptionKey(tx, created);
    await appendAudit(tx, store, { at: now.toISOString(), userId: options.userId ?? null, action: 'backup.password.set', entity: 'school_setting', entityId: 'backup.key', reason: 'первая резервная копия из командной строки' });
  }));
  return created;
}

/**
 * One backup: a consistent snapshot, sealed once, written and verified at every
 * destination in turn. A destination that fails does not stop the others; every outcome is
 * in the run log. Throws only when nothing could be attempted (no password, a run already
 * going, no destinations).
 */
export async function runBackup(store: Store, options: BackupRunOptions): Promise<BackupRunReport> {
  if (running.has(store)) throw new AppError('conflict', 'Резервное копирование уже выполняется. Дождитесь его окончания.');
  const clock = options.now ?? (() => new Date());
  running.set(store, { since: clock() });
  try {
    const started = clock();
    const settings = await readBackupSettings(store.db);
    const destinations = options.destinations ?? configuredDestinations(settings);
    if (destinations.length === 0) {
      throw new AppError('validation', 'Не выбрано, куда копировать: укажите флешку или папку в настройках резервных копий.');
    }
    const job = options.job;
    job?.setTotal(1 + destinations.length);
    job?.working('Снимок базы и журналы классов');
    const encryption = await encryptionKeyFor(store, options, started);
    const signing = await retryWhileSqliteBusy(() => ensureSigningKey(store, started, options.userId ?? null));
    const school = await store.db.selectFrom('school').select(['name', 'time_zone']).where('id', '=', 1).executeTakeFirstOrThrow();

    // One snapshot: the class parts first, so the journals (D-37) print — in worker
    // threads — while the whole-database part is read and compressed. The workers start
    // now and take the classes when the snapshot has listed them.
    const printer = options.printClassJournal === undefined ? await findClassJournalPrinter() : options.printClassJournal;
    let listClasses: (classIds: number[]) => void = () => {};
    const classIds = new Promise<number[]>((resolve) => (listClasses = resolve));
    const printing: PrintJob | null = printer ? printJournals(store, classIds, printer, { workers: options.printWorkers }) : null;
    let snapshot: { database: DatabasePartResult; classes: PartData[]; auditHeads: AuditHeads };
    try {
      snapshot = await withSnapshotSource(store, async (source) => {
        const classes = await buildClassParts({ run: source.run, today: localDate(started, school.time_zone) });
        listClasses(classes.parts.map((p) => p.entry.classId!));
        // The audit heads of this very snapshot go into the manifest: an anchor (D-26).
        const heads = await source.run.all('select id, last_id, last_hash from audit_head order by id');
        const auditHeads: AuditHeads = heads.map((h) => [Number(h.id), Number(h.last_id), String(h.last_hash)]);
        return { database: await buildDatabasePart(source), classes: classes.parts, auditHeads };
      });
    } catch (error) {
      if (printing) {
        printing.cancel();
        await printing.done;
      }
      throw error;
    }
    const { database, classes, auditHeads } = snapshot;
    // Stopped while the snapshot was read: nothing was written anywhere.
    job?.signal.throwIfAborted();
    const parts: PartData[] = [
      {
        entry: {
          name: 'database',
          kind: 'database',
          title: 'База данных целиком',
          rows: database.rows,
          counts: database.tables,
          sha256: database.sha256,
          plainBytes: database.plainBytes,
          encoding: 'gzip',
        },
        data: database.data,
      },
      ...classes,
    ];
    await printing?.helpHere();
    const pdfs = printing ? await printing.done : new Map<number, Buffer | null>();
    for (const part of classes) {
      const pdf = pdfs.get(part.entry.classId!);
      if (!pdf) continue;
      parts.push({
        entry: {
          name: `${part.entry.name}-journal.pdf`,
          kind: 'class-pdf',
          title: `Журнал класса ${part.entry.className} (PDF)`,
          classId: part.entry.classId!,
          className: part.entry.className!,
          rows: 0,
          counts: {},
          sha256: createHash('sha256').update(pdf).digest('hex'),
          plainBytes: pdf.length,
          encoding: 'raw',
        },
        data: pdf,
      });
    }

    // The school's audit key travels inside the encrypted payload: a restore on a new PC,
    // with the backup password, brings it there (src-main/audit/key.ts).
    const auditKey = auditKeyOf(store);
    if (auditKey) {
      parts.push({
        entry: {
          name: 'audit-key',
          kind: 'audit-key',
          title: 'Ключ журнала изменений школы',
          rows: 0,
          counts: {},
          sha256: createHash('sha256').update(auditKey.secret).digest('hex'),
          plainBytes: auditKey.secret.length,
          encoding: 'raw',
        },
        data: auditKey.secret,
      });
    }

    const content = newContentKey(encryption.recipientPublicKey);
    const { bytes, manifest } = sealBackup({
      auditHeads,
      school: { name: school.name, timeZone: school.time_zone },
      createdAt: started.toISOString(),
      appVersion: appVersion(),
      sourceEngine: store.engine,
      migrations: database.migrations,
      parts,
      signingKey: signing.privateKey,
      signingPublicKey: signing.publicKeyPem,
      contentKey: content.key,
      ephemeralPublicKey: content.ephemeralPublicKey,
      recipientPublicKey: encryption.recipientPublicKey,
      wrappedPrivateKey: encryption.wrappedPrivateKey,
    });

    // The sealed bytes are verified once, completely (signature, checksums, decryption, every
    // part against its own checksum and counts), while the first copy is being written; each
    // copy read back must then be exactly these bytes.
    const verification = openBackup(bytes, { contentKey: content.key }).then(() => undefined);
    verification.catch(() => {}); // awaited by every destination's read-back
    const sameAsVerified = async (readBack: Buffer) => {
      await verification;
      if (!readBack.equals(bytes)) throw damaged('файл, прочитанный с носителя, отличается от записанного');
    };
    const sink = options.sink ?? nodeFileSink;
    const findDrive = options.findDrive ?? driveFinder();
    const baseName = backupBaseName(started, school.time_zone);
    const results: DestinationResult[] = [];
    job?.unitDone({ label: 'Снимок базы и журналы классов', summary: `${database.rows} ${pluralForm(database.rows, 'строка', 'строки', 'строк')}` });
    for (const destination of destinations) {
      const attemptStarted = clock().toISOString();
      const result: DestinationResult = { destination: destinationKey(destination), title: destinationTitle(destination), status: 'failed', file: null, sizeBytes: null, error: null };
      let location: string | null = null;
      job?.working(result.title);
      try {
        if (job?.signal.aborted) {
          result.status = 'skipped';
          result.error = STOPPED;
        } else location = await resolveDestination(destination, findDrive);
        if (result.error === STOPPED) {
          // Logged as skipped below, like a place that was not there.
        } else if (!location) {
          result.status = 'skipped';
          result.error = destination.kind === 'drive' ? `Флешка «${destination.label}» не подключена.` : `Папка ${destination.path} недоступна.`;
        } else {
          const written = await writeVerified(sink, location, baseName, bytes, (readBack) => sameAsVerified(readBack), clock().getTime());
          result.status = 'ok';
          result.file = written.path;
          result.sizeBytes = bytes.length;
          try {
            await applyRetention(sink, location, settings.retention, clock().getTime());
          } catch {
            // The new copy is safe; old ones are removed next time.
          }
        }
      } catch (error) {
        result.status = 'failed';
        result.error = describeWriteError(error);
      }
      results.push(result);
      // A place skipped because of «Остановить» is not a unit done: the job reads as stopped.
      if (result.error !== STOPPED) job?.unitDone({ label: result.title, status: result.status, message: result.error, fileName: result.file ? result.file.split(/[\\/]/).pop()! : null, summary: result.sizeBytes === null ? null : sizeText(result.sizeBytes) });
      await retryWhileSqliteBusy(() => store.db
        .insertInto('backup_run')
        .values({
          started_at: attemptStarted,
          finished_at: clock().toISOString(),
          trigger: options.trigger,
          destination: result.destination,
          location,
          status: result.status,
          file_name: result.file ? result.file.split(/[\\/]/).pop()! : null,
          size_bytes: result.sizeBytes,
          error: result.error,
          user_id: options.userId ?? null,
        })
        .execute());
    }
    await retryWhileSqliteBusy(() => store.db.transaction().execute((tx) =>
      appendAudit(tx, store, {
        at: clock().toISOString(),
        userId: options.userId ?? null,
        action: 'backup.run',
        entity: 'backup',
        entityId: null,
        after: { trigger: options.trigger, createdAt: manifest.createdAt, results: results.map((r) => ({ destination: r.destination, status: r.status, error: r.error })) },
      }),
    ));
    return { results, summary: summaryOf(manifest, signing.fingerprint, true, true), manifest };
  } finally {
    running.delete(store);
  }
}

/** «12,4 МБ». */
function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} КБ`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} МБ`;
}

/** Records a scheduled run that did not start (another was going) in the run log. */
export async function logSkippedRun(store: Store, at: Date, destination: string, reason: string): Promise<void> {
  await store.db
    .insertInto('backup_run')
    .values({ started_at: at.toISOString(), finished_at: at.toISOString(), trigger: 'schedule', destination, location: null, status: 'skipped', file_name: null, size_bytes: null, error: reason, user_id: null })
    .execute();
}
