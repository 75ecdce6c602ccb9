import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/database';
import { engines, freshDatabase } from '../support/engines';
import { runZhurnal } from '../support/cli';

const PASSWORD = 'Пароль-администратора-1';

/** No password in the environment unless a test gives one. */
const zhurnal = (args: string[], env: Record<string, string> = {}) => runZhurnal(args, { ZHURNAL_PASSWORD: '', ...env });

describe('zhurnal without a database', () => {
  it('prints Russian help listing the commands', async () => {
    const help = await zhurnal(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Использование: zhurnal <команда>');
    for (const name of ['migrate', 'create-admin', 'audit verify']) expect(help.stdout).toContain(name);
    const commandHelp = await zhurnal(['create-admin', '--help']);
    expect(commandHelp.code).toBe(0);
    expect(commandHelp.stdout).toContain('ZHURNAL_PASSWORD');
  });

  it('missing --db exits 2 with a Russian usage', async () => {
    for (const command of [['migrate'], ['create-admin', '--login', 'admin'], ['audit', 'verify']]) {
      const run = await zhurnal(command);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Не указана база данных: добавьте --db');
      expect(run.stderr).toContain('Использование: zhurnal');
    }
  });

  it('an unknown command or option exits 2 and says so in Russian', async () => {
    const unknown = await zhurnal(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Неизвестная команда: frobnicate');
    const option = await zhurnal(['migrate', '--db', 'x.sqlite', '--force']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('Неизвестный параметр --force');
  });
});

describe.each(engines)('zhurnal on %s', (engine) => {
  let url: string;
  let drop: () => Promise<void>;
  beforeEach(async () => {
    ({ url, drop } = await freshDatabase(engine));
  });
  afterEach(async () => drop());

  async function tamper(work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<unknown>) {
    const store = await openStore(url);
    try {
      await work(store);
    } finally {
      await store.close();
    }
  }

  async function schoolWithTwoAdmins() {
    const migrate = await zhurnal(['migrate', '--db', url]);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toContain('0001_foundation');
    const first = await zhurnal(
      ['create-admin', '--db', url, '--login', 'admin', '--name', 'Смирнова Ольга Петровна', '--school', 'МБОУ СОШ № 12', '--tz', 'Europe/Moscow'],
      { ZHURNAL_PASSWORD: PASSWORD },
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Школа «МБОУ СОШ № 12» создана');
    const second = await zhurnal(['create-admin', '--db', url, '--login', 'zamena', '--name', 'Петров Пётр Петрович'], { ZHURNAL_PASSWORD: PASSWORD });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Администратор «zamena» (Петров Пётр Петрович) создан');
  }

  it('migrate, create-admin and audit verify work on a new database', async () => {
    await schoolWithTwoAdmins();
    const again = await zhurnal(['migrate', '--db', url]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Структура базы данных актуальна');
    expect(again.stdout).not.toContain('Применены');

    const verify = await zhurnal(['audit', 'verify', '--db', url]);
    expect(verify.code, verify.stderr).toBe(0);
    // The school, its first administrator, the default work types, the console-made administrator.
    expect(verify.stdout).toContain('Цепочка журнала изменений цела: 4 записи');

    // The console-made administrator is recorded in the audit chain, naming the tool.
    await tamper(async (store) => {
      const row = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.create').where('user_id', 'is', null).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ action: 'account.create', user_id: null, reason: 'Создано из командной строки (zhurnal create-admin)' });
    });
  });

  it('create-admin refuses a taken login and a new database without --school', async () => {
    await schoolWithTwoAdmins();
    const taken = await zhurnal(['create-admin', '--db', url, '--login', 'zamena'], { ZHURNAL_PASSWORD: PASSWORD });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('Логин «zamena» уже занят');
    const noPassword = await zhurnal(['create-admin', '--db', url, '--login', 'third']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('ZHURNAL_PASSWORD');
    const other = await freshDatabase(engine);
    try {
      const noSchool = await zhurnal(['create-admin', '--db', other.url, '--login', 'admin'], { ZHURNAL_PASSWORD: PASSWORD });
      expect(noSchool.code).toBe(2);
      expect(noSchool.stderr).toContain('--school');
    } finally {
      await other.drop();
    }
    // Three cold CLI processes from sources and a fresh database: minutes on a busy machine.
  }, 180_000);

  it('an altered audit record is reported by number, exit 1', async () => {
    await schoolWithTwoAdmins();
    await tamper((store) => store.db.updateTable('audit_log').set({ reason: 'подправлено' }).where('id', '=', 2).execute());
    const verify = await zhurnal(['audit', 'verify', '--db', url]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('нарушена на записи № 2');
    expect(verify.stderr).toContain('изменена после создания');
  });

  it('a removed middle audit record is reported by number, exit 1', async () => {
    await schoolWithTwoAdmins();
    await tamper((store) => store.db.deleteFrom('audit_log').where('id', '=', 2).execute());
    const verify = await zhurnal(['audit', 'verify', '--db', url]);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('запись № 2 отсутствует (удалена)');
  });
});
