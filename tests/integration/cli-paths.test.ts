import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-main/store/database';
import { engines, freshDatabase } from '../support/engines';
import { runZhurnal, type CliRun as Run } from '../support/cli';

// The CLI's edges: output paths and dates an administrator may get wrong are refused in
// Russian with exit code 2 before any work starts, leaving nothing behind.

/** No password in the environment unless a test gives one. */
const zhurnal = (args: string[], env: Record<string, string> = {}) => runZhurnal(args, { ZHURNAL_PASSWORD: '', ...env });

/** Refused as wrong arguments: exit 2, the Russian reason and the usage, no stack trace. */
function expectRefused(run: Run, reason: string) {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toContain(`Ошибка: ${reason}`);
  expect(run.stderr).toContain('Использование:');
  expect(run.stderr).not.toMatch(/\bat \S+ \(|node:internal|Непредвиденная/);
}

describe('zhurnal demo --today', () => {
  it('a date that is not in the calendar is refused before the database is touched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-cli-'));
    try {
      const db = join(dir, 'demo.sqlite');
      for (const today of ['2026-13-45', '2026-02-29', '2026-04-31', '14.10.2026']) {
        expectRefused(await zhurnal(['demo', '--db', db, '--today', today]), `Параметр --today: ${today} — такой даты нет; нужна дата в виде ГГГГ-ММ-ДД, например 2026-09-01`);
      }
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe.each(engines)('zhurnal print, export, backup: output paths on %s', (engine) => {
  let url: string;
  let drop: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ url, drop } = await freshDatabase(engine));
    dir = mkdtempSync(join(tmpdir(), 'zhurnal-cli-'));
    const demo = await zhurnal(['demo', '--db', url, '--students', '11', '--today', '2026-10-14']);
    expect(demo.code, demo.stderr).toBe(0);
  }, 600_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await drop();
  });

  /** Prints recorded in the audit chain (each print is logged and audited). */
  async function printLogRows(): Promise<number> {
    const store = await openStore(url);
    try {
      return (await store.db.selectFrom('audit_log').select('id').where('entity', '=', 'print_log').execute()).length;
    } finally {
      await store.close();
    }
  }

  it('a wrong --out is refused with exit 2; nothing is written or logged; a right one prints', async () => {
    const file = join(dir, 'lists.txt');
    writeFileSync(file, 'не папка');
    const missing = join(dir, 'нет-такой-папки');
    const journal = ['print', '--db', url, '--class', '5А', '--period', '1'];

    expectRefused(await zhurnal([...journal, '--out', join(missing, '5А.pdf')]), `--out: папки ${missing} нет. Создайте её или укажите другую.`);
    expectRefused(await zhurnal([...journal, '--out', dir]), `--out: ${dir} — это папка. Укажите имя файла, например ${join(dir, 'журнал.pdf')}`);
    expectRefused(await zhurnal(['print', '--db', url, '--summary', '--class', '5А', '--out', dir]), `--out: ${dir} — это папка. Укажите имя файла, например ${join(dir, 'ведомость.pdf')}`);
    expectRefused(await zhurnal(['print', '--db', url, '--all', '--period', '1', '--out', file]), `--out: ${file} — это файл, а нужна папка.`);
    expectRefused(await zhurnal(['print', '--db', url, '--all', '--period', '1', '--out', join(file, 'журналы')]), `--out: ${file} — не папка.`);
    expectRefused(await zhurnal(['export', '--db', url, '--year', '2026/2027', '--to', file]), `--to: ${file} — это файл, а нужна папка.`);
    expectRefused(await zhurnal(['backup', '--db', url, '--to', file], { ZHURNAL_BACKUP_PASSWORD: 'Пароль-копий-1' }), `--to: ${file} — это файл, а нужна папка.`);
    expect(readdirSync(dir)).toEqual(['lists.txt']);
    expect(await printLogRows()).toBe(0);

    // The same command with a right path prints, into a file named by the administrator.
    mkdirSync(missing);
    const printed = await zhurnal([...journal, '--out', join(missing, '5А.pdf')]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(`Классный журнал 5А класса, I четверть 2026/2027 учебного года: ${join(missing, '5А.pdf')}`);
    expect(readdirSync(missing)).toEqual(['5А.pdf']);
    expect(await printLogRows()).toBe(1);
  }, 600_000);
});
