import type { Anchor } from '../../audit/anchors';
import { AppError } from '../../core/errors';
import type { CliCommand } from '../command';
import { cliPc, DB_HELP, dbOption, parseOptions, PC_HELP, requireDb, withStore } from '../options';
import { plural } from '../../../src-shared/rules/plural';

/** «1 запись», «3 записи», «5 записей». */
export const recordsWord = (count: number) => plural(count, 'запись', 'записи', 'записей');

function isMissingTable(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === '42P01' || /no such table/i.test(message ?? '');
}

export const auditVerifyCommand: CliCommand = {
  name: 'audit verify',
  summary: 'Проверить целостность цепочки журнала изменений (код выхода 1, если она нарушена)',
  usage: [
    'Использование: zhurnal audit verify --db D [--pc DIR] [--backup ФАЙЛ …]',
    '',
    'Проверяет цепочки записей (с ключом школы — и их подписи), сверяет их с метками вне базы',
    '(файл меток этого компьютера, резервные копии) и сверяет отметки, пропуски и уроки с историей.',
    '',
    'Параметры:',
    DB_HELP,
    PC_HELP,
    '  --backup F    резервная копия, чьи метки тоже сверить (можно указать несколько раз)',
  ].join('\n'),
  async run(args, io) {
    const { verifyAudit } = await import('../../audit/verify');
    const { readBackupAnchor } = await import('../../backup/restore');
    const options = parseOptions(args, { ...dbOption, pc: { type: 'string' }, backup: { type: 'string', multiple: true } });
    const pc = await cliPc(options.pc ?? io.env.ZHURNAL_PC_DIR);
    const anchors: Anchor[] = [];
    for (const file of options.backup ?? []) anchors.push(await readBackupAnchor(file));
    // Verifying only reads: it neither creates an SQLite file nor migrates the database.
    const databaseUrl = requireDb(options.db, { mustExist: true });
    const verdict = await withStore(databaseUrl, async (store) => {
      try {
        return await verifyAudit(store, { secrets: pc?.secrets ?? null, pcDir: pc?.pcDir ?? null, anchors });
      } catch (error) {
        if (isMissingTable(error)) {
          throw new AppError('not_found', `В базе данных (${store.location}) нет журнала изменений: сначала выполните zhurnal migrate.`);
        }
        throw error;
      }
    });
    if (verdict.ok) {
      io.out(`Цепочка журнала изменений цела: ${verdict.checked} ${recordsWord(verdict.checked)}.`);
      if (verdict.anchorsCompared > 0) io.out(`Сверено с метками вне базы: ${verdict.anchorsCompared}.`);
      io.out('Отметки, пропуски и уроки совпадают с историей.');
      if (!verdict.keyChecked) io.out('Подписи записей не проверены: на этом компьютере нет ключа журнала изменений школы (укажите --pc).');
      return 0;
    }
    if (verdict.firstBroken) {
      io.err(`Цепочка журнала изменений нарушена на записи № ${verdict.firstBroken.id}: ${verdict.firstBroken.reason}.`);
      io.err(`Целых записей до неё: ${verdict.checked}.`);
    }
    for (const finding of verdict.findings) io.err(`Нарушение: ${finding}.`);
    return 1;
  },
};
