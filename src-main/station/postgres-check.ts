import pg from 'pg';
import { migrations } from '../../migrations/index';
import type { PostgresCheck } from '../../src-shared/contract/pc';
import { AppError } from '../core/errors';
import { plural } from '../../src-shared/rules/plural';

/**
 * «Проверить подключение»: reaches the server with what the administrator typed and says,
 * in Russian, what is there — an empty database, a journal that needs N migrations, the
 * school it already holds — before anything is changed. Nothing is written.
 */

const steps = (n: number) => `${n} ${plural(n, 'шаг', 'шага', 'шагов')}`;

/** The connection failure in words an administrator can act on; `field` points at the input to fix. */
export function connectionError(error: unknown, target: { host: string; port: number; database: string; user: string }): AppError {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  const server = `${target.host}:${target.port}`;
  const onField = (field: string, text: string) => new AppError('validation', text, [{ path: field, message: text }]);
  if (code === '28P01') return onField('password', `Сервер ${server} отклонил пользователя «${target.user}» или пароль. Проверьте оба.`);
  if (code === '3D000') return onField('database', `На сервере ${server} нет базы данных «${target.database}». Создайте её или проверьте имя.`);
  if (code === '28000') {
    if (/no encryption/i.test(message)) return onField('tls', `Сервер ${server} принимает только шифрованные подключения: включите шифрование.`);
    return new AppError('unavailable', `Сервер ${server} не пускает этот компьютер: в его настройках доступа (pg_hba.conf) нет разрешения для адреса этого компьютера или пользователя «${target.user}».`);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return onField('host', `Компьютер «${target.host}» не найден в сети. Проверьте имя или введите IP-адрес.`);
  if (code === 'ECONNREFUSED') return onField('port', `Сервер ${server} отказал в подключении: PostgreSQL на нём не запущен или слушает другой порт.`);
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || /timeout/i.test(message)) {
    return onField('host', `Сервер ${server} не отвечает: нет связи по сети или порт закрыт брандмауэром.`);
  }
  if (/does not support SSL/i.test(message)) return onField('tls', `Сервер ${server} не поддерживает шифрование: выберите «Без шифрования».`);
  if (/certificate|self[- ]signed|CERT_/i.test(`${code ?? ''} ${message}`)) {
    return onField('tls', `Сертификат сервера ${server} не прошёл проверку. Выберите шифрование без проверки сертификата или установите сертификат, которому доверяет этот компьютер.`);
  }
  return new AppError('unavailable', `Не удалось подключиться к серверу ${server}: ${message || code || 'неизвестная ошибка'}.`);
}

export async function checkPostgres(url: string, target: { host: string; port: number; database: string; user: string }): Promise<PostgresCheck> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 8_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectionError(error, target);
  }
  try {
    const version = (await client.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '';
    const serverVersion = version.split(' ')[0] ?? version;
    const tables = (
      await client.query<{ name: string }>(
        `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      )
    ).rows.map((row) => row.name);
    const base = { serverVersion, schoolName: null as string | null };
    if (tables.length === 0) {
      return {
        ...base,
        state: 'empty',
        pendingMigrations: migrations.length,
        message: `База «${target.database}» пуста. При подключении в ней будут созданы таблицы журнала (${steps(migrations.length)}), затем в неё можно перенести школу с этого компьютера или создать новую.`,
      };
    }
    if (!tables.includes('kysely_migration')) {
      return {
        ...base,
        state: 'foreign',
        pendingMigrations: 0,
        message: `В базе «${target.database}» есть таблицы другой программы (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? '…' : ''}). Укажите пустую базу или базу журнала.`,
      };
    }
    const applied = (await client.query<{ name: string }>('select name from kysely_migration')).rows.map((row) => row.name);
    const known = new Set(migrations.map(([name]) => name));
    const schoolName = tables.includes('school') ? ((await client.query<{ name: string }>('select name from school where id = 1')).rows[0]?.name ?? null) : null;
    const holds = schoolName ? `В базе школа «${schoolName}».` : 'Школа в этой базе ещё не создана.';
    if (applied.some((name) => !known.has(name))) {
      return {
        ...base,
        schoolName,
        state: 'newer',
        pendingMigrations: 0,
        message: `${holds} База обновлена более новой версией «Журнала»: обновите программу на этом компьютере.`,
      };
    }
    const pending = migrations.filter(([name]) => !applied.includes(name)).length;
    if (pending > 0) {
      return {
        ...base,
        schoolName,
        state: 'needsMigrations',
        pendingMigrations: pending,
        message: `${holds} Структуру базы нужно обновить до этой версии «Журнала»: ${steps(pending)}. Сделайте резервную копию перед обновлением; другие компьютеры со старой версией после этого работать с базой не смогут.`,
      };
    }
    return { ...base, schoolName, state: 'ready', pendingMigrations: 0, message: `${holds} Структура базы соответствует этой версии «Журнала».` };
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw connectionError(error, target);
  } finally {
    await client.end().catch(() => {});
  }
}
