import { mkdirSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextOccurrence, previousOccurrence } from '../../src-main/backup/cron-time';
import { findDriveInRoots } from '../../src-main/backup/destinations';
import { backupBaseName } from '../../src-main/backup/writer';
import { toCsv } from '../../src-main/backup/export-year';

describe('the backup schedule in the school time zone', () => {
  it('Friday 17:00 in Tomsk: the last and the next run', () => {
    const wednesday = new Date('2026-10-14T07:30:00.000Z'); // 14:30 in Tomsk (UTC+7)
    expect(previousOccurrence('0 17 * * 5', 'Asia/Tomsk', wednesday)?.toISOString()).toBe('2026-10-09T10:00:00.000Z');
    expect(nextOccurrence('0 17 * * 5', 'Asia/Tomsk', wednesday)?.toISOString()).toBe('2026-10-16T10:00:00.000Z');
    // Exactly at the time, the run is the current one.
    expect(previousOccurrence('0 17 * * 5', 'Asia/Tomsk', new Date('2026-10-16T10:00:00.000Z'))?.toISOString()).toBe('2026-10-16T10:00:00.000Z');
  });

  it('the same expression in Moscow is a different instant', () => {
    expect(nextOccurrence('0 17 * * 5', 'Europe/Moscow', new Date('2026-10-14T07:30:00.000Z'))?.toISOString()).toBe('2026-10-16T14:00:00.000Z');
  });

  it('lists and ranges: weekdays at 12:30 and 18:00', () => {
    const saturday = new Date('2026-10-17T05:00:00.000Z'); // 12:00 Saturday in Tomsk
    expect(previousOccurrence('30 12 * * 1-5', 'Asia/Tomsk', saturday)?.toISOString()).toBe('2026-10-16T05:30:00.000Z');
    expect(previousOccurrence('0 12,18 * * *', 'Asia/Tomsk', saturday)?.toISOString()).toBe('2026-10-17T05:00:00.000Z');
  });
});

describe('finding the flash drive by its label', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });
  const root = () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-mounts-'));
    roots.push(dir);
    return dir;
  };

  it('finds /media/USER/LABEL, /media/LABEL and /Volumes/LABEL shapes; absent is null', () => {
    const media = root();
    const runMedia = root();
    expect(findDriveInRoots('ZHURNAL', [media, runMedia])).toBeNull();
    mkdirSync(join(runMedia, 'teacher', 'ZHURNAL'), { recursive: true });
    expect(findDriveInRoots('ZHURNAL', [media, runMedia])).toBe(join(runMedia, 'teacher', 'ZHURNAL'));
    mkdirSync(join(media, 'ZHURNAL'));
    expect(findDriveInRoots('ZHURNAL', [media, runMedia])).toBe(join(media, 'ZHURNAL'));
    expect(findDriveInRoots('OTHER', [media, runMedia])).toBeNull();
  });
});

describe('names and open formats', () => {
  it('backup files are named by the school-local time', () => {
    expect(backupBaseName(new Date('2026-10-16T10:00:00.000Z'), 'Asia/Tomsk')).toBe('zhurnal-2026-10-16-1700');
  });

  it('CSV for Excel: BOM, «;», quotes only where needed, empty for null', () => {
    const csv = toCsv(['id', 'text', 'note'], [{ id: 1, text: 'а;б', note: null }, { id: 2, text: 'он сказал "да"\nи ушёл', note: 'ok' }]);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.subarray(3).toString('utf8')).toBe('id;text;note\r\n1;"а;б";\r\n2;"он сказал ""да""\nи ушёл";ok\r\n');
  });
});
