import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolAndSignIn, type TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';

// A backup folder that is not there is refused when it is set, not days later at the first
// copy; a schedule the core cannot read is refused in words, not in cron.

describe.each(engines)('backup settings are checked when saved on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let dir: string;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    dir = mkdtempSync(join(tmpdir(), 'zhurnal-copies-'));
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const audited = async () => (await t.core.store.db.selectFrom('audit_log').select('id').where('action', '=', 'backup.settings.update').execute()).length;

  it('a second folder that does not exist, or is not a full path, is refused and nothing is saved', async () => {
    for (const secondFolder of [join(dir, 'нет-такой'), 'Копии']) {
      const refused = await admin.fails('backup.updateSettings', { schedule: '0 17 * * 5', driveLabel: null, secondFolder, retention: 10 });
      expect(refused.kind).toBe('validation');
      expect(refused.message).toBe(`Папка «${secondFolder}» не найдена на этом компьютере. Создайте её или укажите другую.`);
    }
    expect((await admin.ok('backup.status', {})).settings.secondFolder).toBeNull();
    expect(await audited()).toBe(0);

    await admin.ok('backup.updateSettings', { schedule: '30 18 * * 3', driveLabel: null, secondFolder: dir, retention: 5 });
    const status = await admin.ok('backup.status', {});
    expect(status.settings).toEqual({ schedule: '30 18 * * 3', driveLabel: null, secondFolder: dir, retention: 5 });
    // The folder is set: the status no longer says that nowhere is chosen.
    expect(status.pendingReason ?? '').not.toContain('Не выбрано, куда копировать');
    expect(await audited()).toBe(1);
  });

  it('a schedule that is not a time is refused in words', async () => {
    const refused = await admin.fails('backup.updateSettings', { schedule: '0 25 * * 5', driveLabel: null, secondFolder: dir, retention: 10 });
    expect(refused.kind).toBe('validation');
    expect(refused.message).toBe('Время копирования не распознано: выберите день недели и время, например «по пятницам в 17:00».');
    expect((await admin.ok('backup.status', {})).settings.schedule).toBe('0 17 * * 5');
    expect(await audited()).toBe(0);
  });
});
