import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsonFilePcSettings } from '../../src-main/settings/pc-settings-file';
import { databaseUrlOf, MemoryPcSettings, type PcSettings } from '../../src-main/settings/pc-settings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zhurnal-pc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const implementations: Array<[string, () => PcSettings]> = [
  ['memory', () => new MemoryPcSettings()],
  ['JSON file', () => new JsonFilePcSettings(join(dir, 'nested', 'pc-settings.json'))],
];

describe.each(implementations)('per-PC settings in %s', (_name, make) => {
  it('starts on the embedded SQLite database and remembers a chosen PostgreSQL server', () => {
    const settings = make();
    expect(databaseUrlOf(settings.read(), '/data/zhurnal.sqlite')).toBe('/data/zhurnal.sqlite');
    settings.update({ database: { kind: 'postgres', url: 'postgres://zhurnal@server:5432/school' }, backupDriveLabel: 'АРХИВ' });
    expect(databaseUrlOf(settings.read(), '/data/zhurnal.sqlite')).toBe('postgres://zhurnal@server:5432/school');
    expect(settings.read().backupDriveLabel).toBe('АРХИВ');
  });

  it('refuses a malformed database address with a Russian message and keeps the old value', () => {
    const settings = make();
    settings.update({ database: { kind: 'sqlite', path: '/data/a.sqlite' } });
    expect(() => settings.update({ database: { kind: 'postgres', url: 'mysql://x' } })).toThrow(/postgres:\/\//);
    expect(settings.read().database).toEqual({ kind: 'sqlite', path: '/data/a.sqlite' });
  });
});

describe('the JSON settings file', () => {
  it('survives a restart and leaves no temporary file behind', () => {
    const file = join(dir, 'pc-settings.json');
    new JsonFilePcSettings(file).update({ windowBounds: { width: 1200, height: 700, maximized: true } });
    expect(new JsonFilePcSettings(file).read().windowBounds).toEqual({ width: 1200, height: 700, maximized: true });
    expect(readdirSync(dir)).toEqual(['pc-settings.json']);
    expect(JSON.parse(readFileSync(file, 'utf8')).windowBounds.width).toBe(1200);
  });

  it('a hand-damaged field falls back to its default; a damaged file is named in the error', () => {
    const file = join(dir, 'pc-settings.json');
    writeFileSync(file, JSON.stringify({ database: { kind: 'oracle' }, backupDriveLabel: 'ФЛЕШКА' }));
    expect(new JsonFilePcSettings(file).read()).toEqual({ database: null, backupDriveLabel: 'ФЛЕШКА', windowBounds: null });
    writeFileSync(file, '{ не json');
    expect(() => new JsonFilePcSettings(file).read()).toThrow(`Файл настроек компьютера повреждён: ${file}`);
  });
});
