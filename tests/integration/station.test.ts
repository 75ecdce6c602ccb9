import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Migrator, type Migration } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index';
import { createCore } from '../../src-main/app/core';
import { JsonFilePcSettings } from '../../src-main/settings/pc-settings-file';
import { FileSecretStore } from '../../src-main/settings/secret-store-file';
import { openStore } from '../../src-main/store/database';
import { createStation, type Station } from '../../src-main/station/station';
import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/contract/index';
import { ADMIN, createSchoolAndSignIn } from '../support/client';
import { freshDatabase } from '../support/engines';
import { freePort } from '../support/postgres-server';
import { buildSmallSchool, type SmallSchool } from '../support/school-fixture';

// This PC's station: the first run on the PC's own SQLite
// file, a switch to a real PostgreSQL server with the administrator's consent, the
// password kept out of the settings, who may switch, and «this PC is the host».

const SCHOOL = 'МБОУ «Школа № 3 на сервере»';

/** A person at this PC, talking to the station as the window does. */
class AtStation {
  constructor(
    readonly station: Station,
    public session: string | null = null,
  ) {}

  raw(method: string, input: unknown): Promise<Envelope<unknown>> {
    const request: CallRequest = { method, input, session: this.session };
    return this.station.call(request);
  }

  async ok<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const result = await this.raw(method, input);
    if (!result.ok) throw new Error(`${method} → ${result.error.kind}: ${result.error.message}`);
    return result.value as MethodOutput<M>;
  }

  async fails(method: MethodName, input: unknown) {
    const result = await this.raw(method, input);
    if (result.ok) throw new Error(`${method} succeeded but was expected to fail`);
    return result.error;
  }

  async signIn(login: string, password: string): Promise<AtStation> {
    const { session } = await this.ok('auth.login', { login, password });
    return new AtStation(this.station, session);
  }
}

interface Pc {
  dir: string;
  settingsFile: string;
  secretsFile: string;
  open(): Promise<Station>;
}

function aPc(): Pc {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-station-'));
  // As root, host mode runs PostgreSQL as a 'postgres' user, who must reach the folder.
  chmodSync(dir, 0o777);
  const settingsFile = join(dir, 'settings', 'pc-settings.json');
  const secretsFile = join(dir, 'settings', 'secrets.json');
  return {
    dir,
    settingsFile,
    secretsFile,
    open: () =>
      createStation({
        pcSettings: new JsonFilePcSettings(settingsFile),
        secrets: new FileSecretStore(secretsFile),
        defaultSqlitePath: join(dir, 'data', 'zhurnal.sqlite'),
        dataDir: join(dir, 'data'),
        core: { logError: (error) => console.error(error) },
      }),
  };
}

/** The fields of the form «Подключиться к серверу PostgreSQL», from a test database's URL. */
function connectionOf(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port),
    database: parsed.pathname.slice(1),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    tls: 'off' as const,
  };
}

async function tablesIn(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public'`);
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe('choosing where this PC keeps the data', () => {
  let pc: Pc;
  let station: Station;
  let database: { url: string; drop(): Promise<void> };

  beforeEach(async () => {
    pc = aPc();
    station = await pc.open();
    database = await freshDatabase('postgres');
  });

  afterEach(async () => {
    await station?.close();
    await database?.drop();
    rmSync(pc.dir, { recursive: true, force: true });
  });

  it('first run: the PC starts on its own SQLite file, and anyone may look at the choice', async () => {
    const anonymous = new AtStation(station);
    const location = await anonymous.ok('pc.dataLocation', {});
    expect(location).toMatchObject({ kind: 'sqlite', status: { state: 'open', schoolName: null }, openToAnyone: true, postgres: null, host: null });
    expect(location.summary).toContain(join(pc.dir, 'data', 'zhurnal.sqlite'));
    expect(await anonymous.ok('setup.status', {})).toMatchObject({ initialized: false });
  });

  it('SQLite → an empty PostgreSQL: migrations reported, applied only with consent; the password stays out of the settings', async () => {
    const anonymous = new AtStation(station);
    const connection = connectionOf(database.url);

    // A wrong password: a Russian message beside the password, nothing changed.
    const wrong = await anonymous.fails('pc.checkPostgres', { ...connection, password: 'не-тот-пароль' });
    expect(wrong).toMatchObject({ kind: 'validation', details: [{ path: 'password' }] });
    expect(wrong.message).toContain('отклонил пользователя «postgres» или пароль');
    const refused = await anonymous.fails('pc.usePostgres', { ...connection, password: 'не-тот-пароль', applyMigrations: true });
    expect(refused.message).toContain('отклонил');
    expect((await anonymous.ok('pc.dataLocation', {})).kind).toBe('sqlite');

    // The right one: the database is empty and needs every migration.
    const check = await anonymous.ok('pc.checkPostgres', connection);
    expect(check).toMatchObject({ state: 'empty', pendingMigrations: migrations.length, schoolName: null });
    expect(check.serverVersion).toMatch(/^\d+\.\d+/);
    expect(check.message).toContain('пуста');

    // Without consent nothing is created on the server and the PC stays where it was.
    const noConsent = await anonymous.fails('pc.usePostgres', connection);
    expect(noConsent.kind).toBe('conflict');
    expect(noConsent.message).toContain('Подтвердите обновление структуры базы');
    expect(await tablesIn(database.url)).toEqual([]);
    expect((await anonymous.ok('pc.dataLocation', {})).kind).toBe('sqlite');

    // With consent: switched, and the core now answers from PostgreSQL.
    const switched = await anonymous.ok('pc.usePostgres', { ...connection, applyMigrations: true });
    expect(switched).toMatchObject({ kind: 'postgres', status: { state: 'open', schoolName: null }, postgres: { host: connection.host, port: connection.port, database: connection.database, user: 'postgres', tls: 'off' } });
    await anonymous.ok('setup.createSchool', { schoolName: SCHOOL, timeZone: 'Asia/Tomsk', adminLogin: ADMIN.login, adminFullName: ADMIN.fullName, adminPassword: ADMIN.password });
    const onServer = new pg.Client({ connectionString: database.url });
    await onServer.connect();
    expect((await onServer.query('select name from school')).rows).toEqual([{ name: SCHOOL }]);
    await onServer.end();

    // The settings file names the server but never holds the password; the secrets file does, for this user only.
    const settingsText = readFileSync(pc.settingsFile, 'utf8');
    expect(settingsText).toContain(`${connection.host}:${connection.port}/${connection.database}`);
    expect(settingsText).not.toContain(connection.password);
    expect(readFileSync(pc.secretsFile, 'utf8')).toContain(connection.password);
    if (process.platform !== 'win32') expect(statSync(pc.secretsFile).mode & 0o777).toBe(0o600);

    // The next start of the app opens the same server with the kept password.
    await station.close();
    station = await pc.open();
    expect(await new AtStation(station).ok('setup.status', {})).toMatchObject({ initialized: true, schoolName: SCHOOL });
  });

  it('a database of an older version: «needs N migrations» and the school it holds', async () => {
    // The first five migrations and a school, as an older «Журнал» left them.
    const store = await openStore(database.url);
    const older = Object.fromEntries(
      migrations.slice(0, 5).map(([name, migration]): [string, Migration] => [name, { up: (db) => migration.up(db, 'postgres') }]),
    );
    const { error } = await new Migrator({ db: store.db, provider: { getMigrations: async () => older } }).migrateToLatest();
    expect(error).toBeUndefined();
    await store.db
      .insertInto('school')
      .values({ id: 1, name: SCHOOL, time_zone: 'Asia/Tomsk', created_at: new Date().toISOString(), signing_key_private: null, signing_key_public: null } as never)
      .execute();
    await store.close();

    const check = await new AtStation(station).ok('pc.checkPostgres', connectionOf(database.url));
    expect(check).toMatchObject({ state: 'needsMigrations', pendingMigrations: migrations.length - 5, schoolName: SCHOOL });
    expect(check.message).toContain(`В базе школа «${SCHOOL}»`);
    expect(check.message).toMatch(/обновить .*: \d+ шаг/);
  });

  it('a missing database or a server that is not there: Russian messages naming what to fix', async () => {
    const anonymous = new AtStation(station);
    const connection = connectionOf(database.url);
    const missing = await anonymous.fails('pc.checkPostgres', { ...connection, database: 'нет_такой_базы' });
    expect(missing).toMatchObject({ kind: 'validation', details: [{ path: 'database' }] });
    expect(missing.message).toContain('нет базы данных «нет_такой_базы»');
    const closed = await anonymous.fails('pc.checkPostgres', { ...connection, port: await freePort() });
    expect(closed.message).toContain('отказал в подключении');
  });

  it('once a school exists only a signed-in administrator may move the PC to another database', async () => {
    const anonymous = new AtStation(station);
    await anonymous.ok('setup.createSchool', { schoolName: SCHOOL, timeZone: 'Asia/Tomsk', adminLogin: ADMIN.login, adminFullName: ADMIN.fullName, adminPassword: ADMIN.password });
    const admin = await anonymous.signIn(ADMIN.login, ADMIN.password);
    await admin.ok('accounts.create', { login: 'teacher', fullName: 'Учитель Иван Иванович', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const first = await anonymous.signIn('teacher', 'Времен-123');
    await first.ok('auth.changePassword', { currentPassword: 'Времен-123', newPassword: 'Учитель-123' });
    const teacher = await anonymous.signIn('teacher', 'Учитель-123');
    const move = { ...connectionOf(database.url), applyMigrations: true };

    expect(await anonymous.fails('pc.usePostgres', move)).toMatchObject({ kind: 'unauthenticated', message: 'Войдите как администратор журнала.' });
    expect(await anonymous.fails('pc.dataLocation', {})).toMatchObject({ kind: 'unauthenticated' });
    expect(await teacher.fails('pc.usePostgres', move)).toMatchObject({ kind: 'forbidden', message: 'Где хранить данные, выбирает только администратор журнала.' });
    expect(await tablesIn(database.url)).toEqual([]);
    expect(existsOnSqlite(await admin.ok('pc.dataLocation', {}))).toBe(true);

    // The administrator may; the switch ends every session of the old database.
    expect((await admin.ok('pc.usePostgres', move)).kind).toBe('postgres');
    expect(await admin.fails('auth.whoami', {})).toMatchObject({ kind: 'unauthenticated' });
    expect(await anonymous.ok('setup.status', {})).toMatchObject({ initialized: false });
  });

  it('a connection saved by an older version with the password in its address: the password moves to the secrets', async () => {
    await station.close();
    mkdirSync(dirname(pc.settingsFile), { recursive: true });
    writeFileSync(pc.settingsFile, JSON.stringify({ database: { kind: 'postgres', url: database.url } }));
    station = await pc.open();
    const password = connectionOf(database.url).password;
    expect(readFileSync(pc.settingsFile, 'utf8')).not.toContain(password);
    expect(new FileSecretStore(pc.secretsFile).get(`postgres:${database.url.replace(`:${password}@`, '@')}`)).toBe(password);
    expect(await new AtStation(station).ok('setup.status', {})).toMatchObject({ initialized: false });
  });

  it('a damaged secrets file: the app still opens, says why and offers the choice to anyone', async () => {
    const anonymous = new AtStation(station);
    await anonymous.ok('pc.usePostgres', { ...connectionOf(database.url), applyMigrations: true });
    await station.close();
    writeFileSync(pc.secretsFile, 'испорчено');
    station = await pc.open();
    const again = new AtStation(station);
    const location = await again.ok('pc.dataLocation', {});
    expect(location).toMatchObject({ kind: 'postgres', openToAnyone: true, status: { state: 'unavailable' } });
    expect(location.status.state === 'unavailable' && location.status.reason).toMatch(/Сохранённый пароль подключения к базе данных не читается \(файл паролей повреждён/);
    expect(await again.fails('setup.status', {})).toMatchObject({ kind: 'unavailable' });
    // Typing the password again mends it.
    await again.ok('pc.usePostgres', { ...connectionOf(database.url), applyMigrations: true });
    expect(await again.ok('setup.status', {})).toMatchObject({ initialized: false });
  });
});

function existsOnSqlite(location: MethodOutput<'pc.dataLocation'>): boolean {
  return location.kind === 'sqlite' && location.status.state === 'open';
}

describe('this PC becomes the host', () => {
  let pc: Pc;
  let station: Station;

  beforeAll(async () => {
    pc = aPc();
    station = await pc.open();
  });

  afterAll(async () => {
    await station?.close();
    rmSync(pc.dir, { recursive: true, force: true });
  });

  it('starts PostgreSQL on the chosen address, and another PC reaches it with the credentials shown', async () => {
    const anonymous = new AtStation(station);
    const port = await freePort();
    const invalid = await anonymous.fails('pc.becomeHost', { listenAddress: '10.255.255.254', allowedNetwork: '10.0.0.0/8', port });
    expect(invalid.message).toContain('нет адреса 10.255.255.254');

    const location = await anonymous.ok('pc.becomeHost', { listenAddress: '127.0.0.1', allowedNetwork: '127.0.0.1/32', port });
    expect(location).toMatchObject({ kind: 'host', status: { state: 'open', schoolName: null } });
    const shown = location.host!.forOtherPcs;
    expect(shown).toMatchObject({ host: '127.0.0.1', port, database: 'zhurnal', user: 'zhurnal_app' });
    expect(shown.password.length).toBeGreaterThanOrEqual(20);
    expect(readFileSync(pc.settingsFile, 'utf8')).not.toContain(shown.password);

    // The school is created on this PC…
    await anonymous.ok('setup.createSchool', { schoolName: SCHOOL, timeZone: 'Asia/Tomsk', adminLogin: ADMIN.login, adminFullName: ADMIN.fullName, adminPassword: ADMIN.password });
    // …and another PC, typing what this one shows, sees it.
    const other = await createCore({ databaseUrl: `postgres://${shown.user}:${encodeURIComponent(shown.password)}@${shown.host}:${shown.port}/${shown.database}` });
    try {
      expect(await other.call({ method: 'setup.status', input: {} })).toMatchObject({ ok: true, value: { initialized: true, schoolName: SCHOOL } });
    } finally {
      await other.close();
    }

    // The app's next start starts the server again before opening the core.
    await station.close();
    await expect(tablesIn(`postgres://${shown.user}:${encodeURIComponent(shown.password)}@127.0.0.1:${port}/zhurnal`)).rejects.toThrow();
    station = await pc.open();
    expect(await new AtStation(station).ok('setup.status', {})).toMatchObject({ initialized: true, schoolName: SCHOOL });
  });
});

/** The 5А names as the person at a PC sees them. */
async function classNames(at: AtStation, school: SmallSchool): Promise<string[]> {
  return (await at.ok('students.list', { yearId: school.yearId, classId: school.classId, date: '2026-10-14' })).map((student) => student.fullName);
}

/** What the SQLite file holds, read without the app: the school, its students, its audit records. */
function inFile(path: string): { school: string | undefined; students: number; auditRecords: number } {
  const file = new BetterSqlite3(path, { readonly: true });
  try {
    const count = (table: string) => (file.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const school = file.prepare('select name from school').get() as { name: string } | undefined;
    return { school: school?.name, students: count('student'), auditRecords: count('audit_log') };
  } finally {
    file.close();
  }
}

const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A PC that has kept its school in its SQLite file: 5А with five students and two teachers. */
async function aPcWithSchoolInFile(): Promise<{ pc: Pc; station: Station; admin: AtStation; school: SmallSchool; schoolName: string; sqlitePath: string }> {
  const pc = aPc();
  const station = await pc.open();
  const session = await createSchoolAndSignIn(station.current()!);
  const school = await buildSmallSchool(session);
  const { schoolName } = await session.ok('setup.status', {});
  return { pc, station, admin: new AtStation(station, session.token), school, schoolName: schoolName!, sqlitePath: join(pc.dir, 'data', 'zhurnal.sqlite') };
}

describe('moving the school from this PC\'s file to the server with the switch', () => {
  let pc: Pc;
  let station: Station;
  let admin: AtStation;
  let school: SmallSchool;
  let schoolName: string;
  let sqlitePath: string;
  let database: { url: string; drop(): Promise<void> };

  beforeEach(async () => {
    ({ pc, station, admin, school, schoolName, sqlitePath } = await aPcWithSchoolInFile());
    database = await freshDatabase('postgres');
  });

  afterEach(async () => {
    await station?.close();
    await database?.drop();
    rmSync(pc.dir, { recursive: true, force: true });
  });

  it('to an empty PostgreSQL: the school is there, the administrator signs in with the same password, the file is kept', async () => {
    const names = await classNames(admin, school);
    expect(names).toHaveLength(5);

    // While the data moves, the PC answers at once that it is moving — nothing is saved to the file.
    const anonymous = new AtStation(station);
    const switching = admin.raw('pc.usePostgres', { ...connectionOf(database.url), applyMigrations: true, moveData: true });
    let done = false;
    void switching.finally(() => (done = true));
    const answersMeanwhile = new Set<string>();
    while (!done) {
      const answer = await anonymous.raw('setup.status', {});
      if (!answer.ok) answersMeanwhile.add(`${answer.error.kind}: ${answer.error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([...answersMeanwhile]).toEqual(['unavailable: Идёт перенос данных школы на сервер. Подождите несколько минут.']);
    const switched = await switching;
    expect(switched.ok && switched.value).toMatchObject({ kind: 'postgres', status: { state: 'open', schoolName } });

    // A switch signs everybody out; the accounts moved, so the same password works on the server.
    expect(await admin.fails('auth.whoami', {})).toMatchObject({ kind: 'unauthenticated' });
    const again = await anonymous.signIn(ADMIN.login, ADMIN.password);
    expect(await classNames(again, school)).toEqual(names);
    expect(station.current()?.store.engine).toBe('postgres');
    expect((await again.ok('audit.verify', {})).ok).toBe(true);

    // The file still holds the school as it was, and a save on the server does not touch it.
    const file = inFile(sqlitePath);
    expect(file).toMatchObject({ school: schoolName, students: 5 });
    const fileAfterMove = sha256Of(sqlitePath);
    await again.ok('students.create', { surname: 'Егорова', name: 'Анна', patronymic: 'Ильинична', birthDate: '2015-02-02', classId: school.classId, arrivedOn: '2026-10-14', arrivalOrder: 'Приказ № 140' });
    expect(await classNames(again, school)).toHaveLength(6);
    expect(sha256Of(sqlitePath)).toBe(fileAfterMove);
    expect(inFile(sqlitePath)).toEqual(file);
  });

  it('a server database that already holds a school is refused; the PC stays on its file, nobody is signed out', async () => {
    const other = await createCore({ databaseUrl: database.url });
    await other.call({ method: 'setup.createSchool', input: { schoolName: SCHOOL, timeZone: 'Asia/Tomsk', adminLogin: 'other', adminFullName: 'Другой Администратор', adminPassword: ADMIN.password } });
    await other.close();
    const names = await classNames(admin, school);

    const refused = await admin.fails('pc.usePostgres', { ...connectionOf(database.url), applyMigrations: true, moveData: true });
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toContain(`уже есть школа «${SCHOOL}»`);
    expect(refused.message).toContain('данные в нём не изменены');
    expect(await admin.ok('pc.dataLocation', {})).toMatchObject({ kind: 'sqlite', status: { state: 'open', schoolName } });
    expect(await classNames(admin, school)).toEqual(names);
  });

  it('a move that fails half-way says why in Russian and opens the file again, data intact', async () => {
    // Accounts without a school: the pre-check passes, the move's own emptiness check refuses.
    const stray = await createCore({ databaseUrl: database.url });
    await stray.close();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query(`insert into app_user (login, full_name, password_hash, created_at) values ('stray', 'Посторонний', 'x', '2026-01-01T00:00:00Z')`);
    await client.end();
    const names = await classNames(admin, school);

    const failed = await admin.fails('pc.usePostgres', { ...connectionOf(database.url), applyMigrations: true, moveData: true });
    expect(failed).toMatchObject({ kind: 'conflict' });
    expect(failed.message).toMatch(/не пуста: переносить можно только в базу без школы и учётных записей\. Файл SQLite не изменён\./);

    // The core on the file was closed for the move and opened again: sessions ended, the school is whole.
    expect(await admin.fails('auth.whoami', {})).toMatchObject({ kind: 'unauthenticated' });
    const again = await new AtStation(station).signIn(ADMIN.login, ADMIN.password);
    expect(await again.ok('pc.dataLocation', {})).toMatchObject({ kind: 'sqlite', status: { state: 'open', schoolName } });
    expect(await classNames(again, school)).toEqual(names);
    expect(inFile(sqlitePath)).toMatchObject({ school: schoolName, students: 5 });
  });
});

describe('this PC becomes the host and takes the school from its file along', () => {
  let pc: Pc;
  let station: Station;

  afterAll(async () => {
    await station?.close();
    rmSync(pc.dir, { recursive: true, force: true });
  });

  it('the school moves into the host\'s database; this PC and the others work with it', async () => {
    const start = await aPcWithSchoolInFile();
    ({ pc, station } = start);
    const { admin, school, schoolName, sqlitePath } = start;
    const names = await classNames(admin, school);

    const port = await freePort();
    const location = await admin.ok('pc.becomeHost', { listenAddress: '127.0.0.1', allowedNetwork: '127.0.0.1/32', port, moveData: true });
    expect(location).toMatchObject({ kind: 'host', status: { state: 'open', schoolName } });
    expect(inFile(sqlitePath)).toMatchObject({ school: schoolName, students: 5 });

    // This PC: the same administrator, the same class; a new student gets a fresh id from the moved sequences.
    const again = await new AtStation(station).signIn(ADMIN.login, ADMIN.password);
    expect(await classNames(again, school)).toEqual(names);
    await again.ok('students.create', { surname: 'Егорова', name: 'Анна', patronymic: 'Ильинична', birthDate: '2015-02-02', classId: school.classId, arrivedOn: '2026-10-14', arrivalOrder: 'Приказ № 140' });

    // Another PC, with what this one shows, sees the moved school as the application role.
    const shown = location.host!.forOtherPcs;
    const other = await createCore({ databaseUrl: `postgres://${shown.user}:${encodeURIComponent(shown.password)}@${shown.host}:${shown.port}/${shown.database}` });
    try {
      const login = await other.call({ method: 'auth.login', input: { login: ADMIN.login, password: ADMIN.password } });
      const session = login.ok ? (login.value as MethodOutput<'auth.login'>).session : null;
      const listed = await other.call({ method: 'students.list', input: { yearId: school.yearId, classId: school.classId, date: '2026-10-14' }, session });
      expect(listed.ok && listed.value).toHaveLength(6);
    } finally {
      await other.close();
    }
  });
});
