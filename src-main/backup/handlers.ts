import { AppError } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { isValidSchedule } from './cron-time';
import { driveFinder, isExistingFolder, type DriveFinder } from './destinations';
import { secretsOf } from '../audit/key';
import { exportYear } from './export-year';
import type { FileSink } from './file-sink';
import { createEncryptionKey, ensureSigningKey, fingerprintOf, readSigningPublicKey, unwrapPrivateKey } from './keys';
import { checkRestorable, inspectBackupFile, restoreBackupFile, schoolSigners } from './restore';
import type { JobRunner } from '../jobs/runner';
import type { JobStatus } from '../../src-shared/contract/jobs';
import { plural } from '../../src-shared/rules/plural';
import { runBackup } from './run';
import { readBackupSettings, readEncryptionKey, writeBackupSettings, writeEncryptionKey } from './settings';
import { backupStatus } from './status';

export interface BackupHandlerOptions {
  findDrive?: DriveFinder;
  sink?: FileSink;
}

export function backupHandlers(jobs: JobRunner, options: BackupHandlerOptions = {}) {
  const findDrive = options.findDrive ?? driveFinder();
  return defineHandlers({
    async 'backup.status'(_input, ctx) {
      return backupStatus(ctx.store, ctx.now(), findDrive);
    },

    async 'backup.updateSettings'(input, ctx) {
      if (!isValidSchedule(input.schedule)) {
        throw new AppError('validation', 'Время копирования не распознано: выберите день недели и время, например «по пятницам в 17:00».', [{ path: 'schedule', message: 'Выберите день и время' }]);
      }
      // A folder that is not there would only fail at the first copy, days later: refuse it now.
      if (input.secondFolder !== null && !isExistingFolder(input.secondFolder)) {
        throw new AppError('validation', `Папка «${input.secondFolder}» не найдена на этом компьютере. Создайте её или укажите другую.`, [{ path: 'secondFolder', message: 'Такой папки нет' }]);
      }
      return ctx.transaction(async (tx) => {
        const before = await readBackupSettings(tx);
        await writeBackupSettings(tx, input);
        await ctx.audit(tx, { action: 'backup.settings.update', entity: 'school_setting', entityId: 'backup', before, after: input });
        return input;
      });
    },

    async 'backup.setPassword'(input, ctx) {
      const existing = await readEncryptionKey(ctx.store.db);
      if (existing && !input.forgotten) {
        if (!input.currentPassword) throw new AppError('validation', 'Введите действующий пароль резервных копий.');
        await unwrapPrivateKey(existing.wrappedPrivateKey, input.currentPassword);
      }
      const key = await createEncryptionKey(input.newPassword);
      await ctx.transaction(async (tx) => {
        await writeEncryptionKey(tx, { ...key, setAt: ctx.now().toISOString() });
        await ctx.audit(tx, {
          action: existing ? 'backup.password.change' : 'backup.password.set',
          entity: 'school_setting',
          entityId: 'backup.key',
          reason: input.forgotten ? 'прежний пароль утерян: старые копии открываются только прежним паролем' : null,
        });
      });
      const signing = await ensureSigningKey(ctx.store, ctx.now(), ctx.requireCaller().userId);
      return { fingerprint: signing.fingerprint };
    },

    async 'backup.publicKey'(_input, ctx) {
      const pem = await readSigningPublicKey(ctx.store);
      return { publicKeyPem: pem, fingerprint: pem ? fingerprintOf(pem) : null };
    },

    async 'backup.start'(input, ctx) {
      const caller = ctx.requireCaller();
      return jobs.start({
        kind: 'backup',
        title: 'Резервная копия',
        owner: { userId: caller.userId, fullName: caller.fullName },
        target: input.to ?? null,
        exclusive: { key: 'backup', busy: (holder) => `Резервное копирование уже выполняется (его начал(а) ${holder.startedBy}). Дождитесь его окончания.` },
        run: async (job) => {
          const report = await runBackup(ctx.store, {
            trigger: 'manual',
            now: ctx.now,
            userId: caller.userId,
            findDrive,
            job,
            ...(input.to ? { destinations: [{ kind: 'folder' as const, path: input.to, create: true }] } : {}),
            ...(options.sink ? { sink: options.sink } : {}),
          });
          const written = report.results.filter((result) => result.status === 'ok').length;
          const places = report.results.length;
          const where = `${written} из ${places} ${plural(places, 'места', 'мест', 'мест')}`;
          if (job.signal.aborted) return `Остановлено: копия записана в ${where}.`;
          return written === places ? `Готово: копия записана в ${where}.` : `Копия записана в ${where}; что не удалось — ниже.`;
        },
      });
    },

    async 'backup.inspect'(input, ctx) {
      return inspectBackupFile(input.file, input.password, ctx.store);
    },

    async 'backup.restore'(input, ctx) {
      const caller = ctx.requireCaller();
      const target = input.target.kind === 'sqlite' ? input.target.path : input.target.url;
      // The address of a PostgreSQL database may carry its password: it is never shown.
      const shownTarget = input.target.kind === 'sqlite' ? input.target.path : 'база PostgreSQL';
      const exclusive = { key: 'backup.restore', busy: (holder: JobStatus) => `Восстановление копии уже идёт (его начал(а) ${holder.startedBy}). Дождитесь его окончания.` };
      jobs.refuseIfBusy(exclusive, caller.userId);
      const signers = await schoolSigners(ctx.store);
      await checkRestorable(input.file, target, { signers, confirmOtherSchool: input.confirmOtherSchool ?? null });
      return jobs.start({
        kind: 'backup.restore',
        title: 'Восстановление резервной копии',
        owner: { userId: caller.userId, fullName: caller.fullName },
        target: shownTarget,
        total: 4,
        exclusive,
        cancelled: 'Восстановление остановлено: ничего не записано, текущая база не менялась.',
        run: async (job) => {
          const report = await restoreBackupFile(input.file, input.password, target, {
            now: ctx.now,
            signers,
            confirmOtherSchool: input.confirmOtherSchool ?? null,
            secrets: secretsOf(ctx.store),
            job,
          });
          const signedByThisSchool = report.summary.signedByThisSchool;
          // The restored copy is exact; the trace of the restore stays in the current database.
          await ctx.transaction((tx) =>
            ctx.audit(tx, {
              action: 'backup.restore',
              entity: 'backup',
              entityId: null,
              after: {
                file: input.file,
                target: input.target.kind === 'sqlite' ? input.target.path : 'postgres',
                createdAt: report.summary.createdAt,
                rows: report.restoredRows,
                ...(signedByThisSchool === false ? { otherSchool: report.summary.schoolName, fingerprint: report.summary.fingerprint } : {}),
              },
            }),
          );
          return `Копия восстановлена: ${report.restoredRows.toLocaleString('ru-RU')} ${plural(report.restoredRows, 'строка', 'строки', 'строк')} — ${shownTarget}.`;
        },
      });
    },

    async 'backup.exportYear'(input, ctx) {
      const caller = ctx.requireCaller();
      const exclusive = { key: 'backup.exportYear', busy: (holder: JobStatus) => `Архив учебного года уже выгружается (его начал(а) ${holder.startedBy}). Дождитесь окончания.` };
      jobs.refuseIfBusy(exclusive, caller.userId);
      // Checked before the job: a year that is not there is said at once.
      const year = await ctx.store.db.selectFrom('academic_year').select('id').where('name', '=', input.year).executeTakeFirst();
      if (!year) throw new AppError('not_found', `Учебный год ${input.year} не найден в базе данных.`);
      if (!isExistingFolder(input.to)) throw new AppError('validation', `Папка «${input.to}» не найдена на этом компьютере. Создайте её или укажите другую.`, [{ path: 'to', message: 'Такой папки нет' }]);
      return jobs.start({
        kind: 'backup.exportYear',
        title: `Архив учебного года ${input.year}`,
        owner: { userId: caller.userId, fullName: caller.fullName },
        target: input.to,
        exclusive,
        cancelled: 'Выгрузка архива остановлена: в папке ничего не появилось.',
        run: async (job) => {
          const report = await exportYear(ctx.store, input.year, input.to, { now: ctx.now, userId: caller.userId, job });
          await ctx.transaction((tx) => ctx.audit(tx, { action: 'backup.exportYear', entity: 'academic_year', entityId: input.year, after: report }));
          const written = `Архив записан в ${report.folder}: файлов ${report.files}, строк данных ${report.rows.toLocaleString('ru-RU')}.`;
          return report.yearClosed ? written : `${written} Год ещё не закрыт: после закрытия года выгрузите архив ещё раз — этот не окончательный.`;
        },
      });
    },
  });
}
