import type { z } from 'zod';
import { AppError, conflict } from '../../core/errors';
import type { Core } from '../../app/core';
import type { CliCommand, CliIo } from '../command';
import { DB_HELP, parseOptions, requireDb, requireValue, UsageError, withCore } from '../options';

const DEFAULT_FULL_NAME = 'Администратор журнала';
const CLI_REASON = 'Создано из командной строки (zhurnal create-admin)';

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError('validation', parsed.error.issues[0]?.message ?? 'Неверные данные.');
  return parsed.data;
}

/** ZHURNAL_PASSWORD, else asked twice on the terminal without echo. */
async function obtainPassword(io: CliIo): Promise<string> {
  const fromEnv = io.env.ZHURNAL_PASSWORD;
  if (fromEnv) return fromEnv;
  const first = await io.askSecret('Пароль администратора: ');
  if (first === null) {
    throw new UsageError('Пароль не задан: укажите его в переменной окружения ZHURNAL_PASSWORD или запустите команду в терминале.');
  }
  const { newPassword } = await import('../../../src-shared/contract/common');
  check(newPassword, first);
  const second = await io.askSecret('Повторите пароль: ');
  if (second !== first) throw new AppError('validation', 'Пароли не совпадают.');
  return first;
}

async function unwrap<T>(core: Core, method: string, input: unknown): Promise<T> {
  const result = await core.call({ method, input, session: null });
  if (!result.ok) throw new AppError(result.error.kind, result.error.message);
  return result.value as T;
}

export const createAdminCommand: CliCommand = {
  name: 'create-admin',
  summary: 'Создать администратора (в новой базе — вместе со школой)',
  usage: [
    'Использование: zhurnal create-admin --db D --login L [--name "ФИО"] [--temporary]',
    '               [--school "Название" --tz Europe/Moscow]   (если школы в базе ещё нет)',
    '',
    'Параметры:',
    DB_HELP,
    '  --login L     логин: латинские буквы, цифры, точка, дефис, подчёркивание',
    `  --name ФИО    полное имя (по умолчанию «${DEFAULT_FULL_NAME}»)`,
    '  --temporary   пароль временный: сменить при первом входе',
    '  --school Н    название школы — для новой базы',
    '  --tz Z        часовой пояс школы, например Europe/Moscow или Asia/Tomsk — для новой базы',
    '',
    'Пароль берётся из переменной окружения ZHURNAL_PASSWORD, иначе спрашивается в терминале (без отображения).',
    'Запись о создании попадает в журнал изменений.',
  ].join('\n'),
  async run(args, io) {
    const { authContract } = await import('../../../src-shared/contract/auth');
    const { login: loginSchema, newPassword, requiredText } = await import('../../../src-shared/contract/common');
    const { findUserByLogin, insertAccount } = await import('../../accounts/repository');
    const { hashPassword } = await import('../../accounts/passwords');
    const { appendAudit } = await import('../../audit/chain');
    const options = parseOptions(args, {
      db: { type: 'string' },
      login: { type: 'string' },
      name: { type: 'string' },
      temporary: { type: 'boolean' },
      school: { type: 'string' },
      tz: { type: 'string' },
    });
    const databaseUrl = requireDb(options.db);
    const login = check(loginSchema, requireValue(options.login, 'login', 'логин администратора'));
    const fullName = check(requiredText(200, 'ФИО'), options.name ?? DEFAULT_FULL_NAME);

    return withCore(databaseUrl, async (core) => {
      const status = await unwrap<{ initialized: boolean; schoolName: string | null }>(core, 'setup.status', {});
      if (!status.initialized) {
        const schoolName = requireValue(options.school, 'school', 'в базе ещё нет школы: укажите её название');
        const timeZone = requireValue(options.tz, 'tz', 'часовой пояс школы, например Europe/Moscow');
        // Checked before the password is asked, so a typo does not cost a prompt.
        check(authContract['setup.createSchool'].input.shape.timeZone, timeZone);
        const password = await obtainPassword(io);
        await unwrap(core, 'setup.createSchool', { schoolName, timeZone, adminLogin: login, adminFullName: fullName, adminPassword: password });
        io.out(`Школа «${schoolName.trim()}» создана; администратор «${login}» (${fullName}) может войти.`);
        return 0;
      }
      if (options.school || options.tz) {
        throw new UsageError(`Школа в этой базе уже создана («${status.schoolName}»): параметры --school и --tz не нужны.`);
      }
      if (await findUserByLogin(core.store.db, login)) throw conflict(`Логин «${login}» уже занят.`);
      const password = check(newPassword, await obtainPassword(io));
      const passwordHash = await hashPassword(password);
      const mustChangePassword = options.temporary === true;
      await core.store.db.transaction().execute(async (tx) => {
        if (await findUserByLogin(tx, login)) throw conflict(`Логин «${login}» уже занят.`);
        const at = core.now().toISOString();
        const row = await insertAccount(tx, {
          login,
          fullName,
          position: 'Администратор электронного журнала',
          roles: ['administrator'],
          passwordHash,
          mustChangePassword,
          createdAt: at,
        });
        // No account stands behind the console: the record names the tool in its reason.
        await appendAudit(tx, core.store, {
          at,
          userId: null,
          action: 'account.create',
          entity: 'app_user',
          entityId: row.id,
          after: { login, fullName, roles: ['administrator'], mustChangePassword },
          reason: CLI_REASON,
        });
      });
      io.out(`Администратор «${login}» (${fullName}) создан${mustChangePassword ? '; пароль временный — сменить при первом входе' : ''}.`);
      return 0;
    });
  },
};
