import { russianDate } from '../../../src-shared/rules/dates';
import { readFileSync, writeFileSync } from 'node:fs';
import { AppError } from '../../core/errors';
import type { CliCommand } from '../command';
import { cliPc, DB_HELP, dbOption, parseOptions, PC_HELP, requireDb, requireOutputFile, UsageError, withStore } from '../options';

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new AppError('not_found', `Файл ключа ${path} не читается. Проверьте, что флешка подключена и путь верен.`);
  }
}

export const auditKeyCommand: CliCommand = {
  name: 'audit key',
  summary: 'Ключ журнала изменений школы на этом компьютере: есть ли он, ввести с листка или из файла, показать',
  usage: [
    'Использование: zhurnal audit key --db D --pc DIR [--phrase ФРАЗА | --file ФАЙЛ | --show [--save ФАЙЛ]]',
    '',
    'Без параметров действия говорит, есть ли на этом компьютере ключ школы.',
    '',
    'Параметры:',
    DB_HELP,
    PC_HELP,
    '  --phrase P    ввести ключ: фраза с листка (11 групп по 5 знаков); сверяется со школой в базе',
    '  --file F      ввести ключ из файла ключа (например, с флешки)',
    '  --show        показать фразу ключа (для листка в сейф); показ записывается в журнал изменений',
    '  --save F      вместе с --show: записать файл ключа (например, на флешку)',
  ].join('\n'),
  async run(args, io) {
    const { appendAudit } = await import('../../audit/chain');
    const { attachAuditKey, auditKeyOf, auditKeyStatus, enterAuditKey } = await import('../../audit/key');
    const { keyFileText, phraseOf } = await import('../../audit/phrase');
    const options = parseOptions(args, { ...dbOption, pc: { type: 'string' }, phrase: { type: 'string' }, file: { type: 'string' }, show: { type: 'boolean' }, save: { type: 'string' } });
    const actions = [options.phrase !== undefined, options.file !== undefined, options.show === true].filter(Boolean).length;
    if (actions > 1) throw new UsageError('Укажите что-то одно: --phrase, --file или --show.');
    if (options.save !== undefined && options.show !== true) throw new UsageError('--save записывает файл ключа только вместе с --show.');
    const save = options.save === undefined ? null : requireOutputFile(options.save, 'save', 'ключ-журнала.txt');
    const pc = await cliPc(options.pc ?? io.env.ZHURNAL_PC_DIR);
    if (!pc) throw new UsageError('Укажите папку этого компьютера: --pc DIR (или ZHURNAL_PC_DIR) — ключ хранится в ней.');
    const entered = options.phrase ?? (options.file !== undefined ? readKeyFile(options.file) : null);
    const databaseUrl = requireDb(options.db, { mustExist: true });
    return withStore(databaseUrl, async (store) => {
      await attachAuditKey(store, pc.secrets);
      const at = new Date().toISOString();
      if (entered !== null) {
        await enterAuditKey(store, entered);
        await store.db.transaction().execute((tx) => appendAudit(tx, store, { at, userId: null, action: 'audit.key.entered', entity: 'school', entityId: 1, reason: 'ключ введён в командной строке' }));
        io.out('Ключ журнала изменений школы сохранён на этом компьютере: записи и резервные копии отсюда подписываются им.');
        return 0;
      }
      const status = await auditKeyStatus(store);
      const key = auditKeyOf(store);
      if (options.show === true) {
        if (!status.onThisPc || !key) throw new AppError('conflict', 'На этом компьютере нет ключа журнала изменений школы: показать нечего.');
        const school = await store.db.selectFrom('school').select('name').where('id', '=', 1).executeTakeFirstOrThrow();
        await store.db.transaction().execute((tx) => appendAudit(tx, store, { at, userId: null, action: 'audit.key.shown', entity: 'school', entityId: 1, reason: 'фраза показана в командной строке' }));
        if (save) {
          writeFileSync(save, keyFileText(school.name, key.secret, russianDate(at.slice(0, 10))), { mode: 0o600 });
          io.out(`Файл ключа записан: ${save}. Храните его как ключ от сейфа.`);
        }
        io.out(`Фраза ключа журнала изменений школы «${school.name}»:`);
        io.out(phraseOf(key.secret));
        return 0;
      }
      if (!status.schoolHasKey) io.out('У школы в этой базе ещё нет ключа журнала изменений.');
      else if (status.onThisPc) io.out('Ключ журнала изменений школы есть на этом компьютере.');
      else {
        io.out('На этом компьютере НЕТ ключа журнала изменений школы: записи отсюда — без подписи (проверка журнала изменений их назовёт), резервные копии не подписать.');
        io.out('Введите его: zhurnal audit key --pc DIR --phrase «фраза с листка» (или --file ФАЙЛ).');
        return 1;
      }
      return 0;
    });
  },
};
