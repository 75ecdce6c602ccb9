import { verifyChain } from '../../audit/chain';
import { AppError } from '../../core/errors';
import type { CliCommand } from '../command';
import { DB_HELP, dbOption, parseOptions, requireDb, withStore } from '../options';

/** «1 запись», «3 записи», «5 записей». */
export function recordsWord(count: number): string {
  const tens = count % 100;
  const ones = count % 10;
  if (tens >= 11 && tens <= 14) return 'записей';
  if (ones === 1) return 'запись';
  if (ones >= 2 && ones <= 4) return 'записи';
  return 'записей';
}

function isMissingTable(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return code === '42P01' || /no such table/i.test(message ?? '');
}

export const auditVerifyCommand: CliCommand = {
  name: 'audit verify',
  summary: 'Проверить целостность цепочки журнала изменений (код выхода 1, если она нарушена)',
  usage: ['Использование: zhurnal audit verify --db D', '', 'Параметры:', DB_HELP].join('\n'),
  async run(args, io) {
    const options = parseOptions(args, dbOption);
    // Verifying only reads: it neither creates an SQLite file nor migrates the database.
    const databaseUrl = requireDb(options.db, { mustExist: true });
    const verdict = await withStore(databaseUrl, async (store) => {
      try {
        return await verifyChain(store.db);
      } catch (error) {
        if (isMissingTable(error)) {
          throw new AppError('not_found', `В базе данных (${store.location}) нет журнала изменений: сначала выполните zhurnal migrate.`);
        }
        throw error;
      }
    });
    if (verdict.ok) {
      io.out(`Цепочка журнала изменений цела: ${verdict.checked} ${recordsWord(verdict.checked)}.`);
      return 0;
    }
    const broken = verdict.firstBroken!;
    io.err(`Цепочка журнала изменений нарушена на записи № ${broken.id}: ${broken.reason}.`);
    io.err(`Целых записей до неё: ${verdict.checked}.`);
    return 1;
  },
};
