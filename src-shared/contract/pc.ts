import { z } from 'zod';
import { empty, requiredText } from './common';
import { command, query } from './define';

/**
 * Where this PC keeps the school's data: on this PC (SQLite),
 * on an existing PostgreSQL server, or on a PostgreSQL the app itself runs here («this PC
 * is the host»). These methods are answered by the PC's station (src-main/station), which
 * owns the core and can switch it; a core opened without a station refuses them.
 *
 * Permission: anyone while the database cannot be opened or holds no school yet (the first
 * run); otherwise only a signed-in administrator (`pc.manage`).
 */

export const tlsModes = ['off', 'require', 'verify'] as const;
export type TlsMode = (typeof tlsModes)[number];
export const tlsModeTitles: Record<TlsMode, string> = {
  off: 'Без шифрования',
  require: 'Шифровать (сертификат сервера не проверяется)',
  verify: 'Шифровать и проверять сертификат сервера',
};

const port = z.number().int('Порт — целое число от 1 до 65535').min(1, 'Порт — целое число от 1 до 65535').max(65535, 'Порт — целое число от 1 до 65535');
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A server, as the administrator types it; no password (that goes to the PC's secret store). */
export const postgresTarget = z.object({
  host: requiredText(253, 'Сервер').regex(/^[A-Za-z0-9._-]+$/, 'Укажите имя компьютера или IPv4-адрес сервера'),
  port: port.default(5432),
  database: requiredText(63, 'База данных'),
  user: requiredText(63, 'Пользователь'),
  tls: z.enum(tlsModes).default('off'),
});
export type PostgresTarget = z.output<typeof postgresTarget>;

export const postgresConnection = postgresTarget.extend({
  password: z.string().min(1, 'Введите пароль').max(200, 'Пароль слишком длинный: не больше 200 символов'),
});
export type PostgresConnection = z.output<typeof postgresConnection>;

export const dataLocation = z.object({
  kind: z.enum(['sqlite', 'postgres', 'host']),
  /** One Russian line: where the data is now. */
  summary: z.string(),
  status: z.discriminatedUnion('state', [
    z.object({ state: z.literal('open'), schoolName: z.string().nullable() }),
    z.object({ state: z.literal('unavailable'), reason: z.string() }),
  ]),
  /** The app's own SQLite file on this PC (the «на этом компьютере» choice). */
  sqlitePath: z.string(),
  /** The PostgreSQL server this PC connects to (kind 'postgres'), without the password. */
  postgres: postgresTarget.nullable(),
  /** This PC as the host (kind 'host'): what to type on the other PCs. */
  host: z
    .object({
      listenAddress: z.string(),
      allowedNetwork: z.string(),
      forOtherPcs: z.object({ host: z.string(), port: z.number(), database: z.string(), user: z.string(), password: z.string() }),
    })
    .nullable(),
  /** True while anyone may choose (no school yet, or the database cannot be opened). */
  openToAnyone: z.boolean(),
});
export type DataLocation = z.output<typeof dataLocation>;

export const postgresCheck = z.object({
  serverVersion: z.string(),
  /**
   * empty: no tables yet; needsMigrations: a journal database of an older version;
   * ready: up to date; newer: written by a newer «Журнал»; foreign: tables of another program.
   */
  state: z.enum(['empty', 'needsMigrations', 'ready', 'newer', 'foreign']),
  pendingMigrations: z.number().int(),
  schoolName: z.string().nullable(),
  /** Russian: what was found and what connecting will do. */
  message: z.string(),
});
export type PostgresCheck = z.output<typeof postgresCheck>;

/**
 * «Перенести данные школы на сервер»: the school in this PC's SQLite file moves into the new
 * database before the switch, verified table by table; the file itself stays as it was.
 */
const moveData = z.boolean().default(false);

export const pcContract = {
  'pc.dataLocation': query('pc.manage', empty, dataLocation, 'Где хранятся данные этого компьютера и открыта ли база'),
  'pc.lanAddresses': query(
    'pc.manage',
    empty,
    z.object({ addresses: z.array(z.object({ interface: z.string(), address: z.string(), network: z.string().nullable() })) }),
    'Сетевые адреса этого компьютера (для режима сервера)',
  ),
  'pc.checkPostgres': query('pc.manage', postgresConnection, postgresCheck, 'Проверить подключение к серверу PostgreSQL и что в базе'),
  'pc.usePostgres': command(
    'pc.manage',
    postgresConnection.extend({ applyMigrations: z.boolean().default(false), moveData }),
    dataLocation,
    'Хранить данные на сервере PostgreSQL (обновление структуры базы — только с согласия; данные школы из файла — перенести по выбору)',
  ),
  'pc.useSqlite': command('pc.manage', empty, dataLocation, 'Хранить данные на этом компьютере (файл SQLite)'),
  'pc.becomeHost': command(
    'pc.manage',
    z.object({
      listenAddress: requiredText(15, 'Адрес').regex(ipv4, 'Укажите IPv4-адрес, например 192.168.1.10'),
      allowedNetwork: requiredText(18, 'Сеть')
        .regex(/^[\d.]+\/(\d|[12]\d|3[0-2])$/, 'Укажите сеть как адрес/маску, например 192.168.1.0/24')
        .refine((value) => ipv4.test(value.split('/')[0] ?? ''), 'Укажите сеть как адрес/маску, например 192.168.1.0/24'),
      port: port.default(5432),
      moveData,
    }),
    dataLocation,
    'Сделать этот компьютер сервером базы данных школы (данные школы из файла — перенести по выбору)',
  ),
};
