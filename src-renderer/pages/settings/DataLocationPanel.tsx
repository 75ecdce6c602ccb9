import { useEffect, useState } from 'react';
import type { DataLocation, PostgresCheck, TlsMode } from '../../../src-shared/contract/pc';
import { tlsModes, tlsModeTitles } from '../../../src-shared/contract/pc';
import { api, asApiError, type ApiError } from '../../api/client';
import { CheckboxField, Form, SelectField, TextField } from '../../ui/form';
import './data-location.css';

// «Где хранить данные»: on this PC, on the school's PostgreSQL
// server, or this PC as that server. The same panel serves the first run, a database that
// cannot be opened at start, and the administrator's settings page. The core (the PC's
// station) decides who may switch; a switch ends every session. A school kept in this PC's
// file moves to the server with the switch (§2 «Moving up»), unless the administrator
// unticks it; the file stays on this PC as it was.

type Choice = DataLocation['kind'];

/** Where the data went, and the school that moved there from this PC's file (if it did). */
type SwitchResult = { location: DataLocation; movedSchool: string | null };
type OnSwitched = (result: SwitchResult) => void;

/** The school in this PC's own file: what a switch to a server can take along. */
function schoolInFile(location: DataLocation): string | null {
  return location.kind === 'sqlite' && location.status.state === 'open' ? location.status.schoolName : null;
}

const choices: Array<{ kind: Choice; title: string; text: string }> = [
  {
    kind: 'sqlite',
    title: 'На этом компьютере',
    text: 'Журнал ведут на одном компьютере. Данные — в файле в папке программы; ничего настраивать не нужно.',
  },
  {
    kind: 'postgres',
    title: 'Подключиться к серверу PostgreSQL',
    text: 'В школе уже есть сервер PostgreSQL (или другой компьютер уже стал сервером журнала): все компьютеры работают с одной базой.',
  },
  {
    kind: 'host',
    title: 'Сделать этот компьютер сервером',
    text: '«Журнал» сам запустит PostgreSQL на этом компьютере; остальные компьютеры школы подключатся к нему. Компьютер должен быть включён, пока идут уроки.',
  },
];

export function DataLocationPanel({ location, firstRun, onDone }: { location: DataLocation; firstRun: boolean; onDone(): void }) {
  const [choice, setChoice] = useState<Choice>(location.kind);
  const [switched, setSwitched] = useState<SwitchResult | null>(null);

  if (switched) return <Switched {...switched} sqlitePath={location.sqlitePath} onDone={onDone} />;

  return (
    <div className="data-location">
      <CurrentLocation location={location} />
      <fieldset className="data-location-choices" role="radiogroup" aria-label="Где хранить данные">
        <legend>Выберите, где будут данные школы</legend>
        {choices.map((option) => (
          <label key={option.kind} className={option.kind === choice ? 'data-location-choice data-location-choice-selected' : 'data-location-choice'}>
            <input type="radio" name="data-location" value={option.kind} checked={option.kind === choice} onChange={() => setChoice(option.kind)} />
            <span className="data-location-choice-title">
              {option.title}
              {option.kind === 'sqlite' && <span className="badge">по умолчанию</span>}
            </span>
            <span className="data-location-choice-text">{option.text}</span>
          </label>
        ))}
      </fieldset>
      {choice === 'sqlite' && <SqliteChoice location={location} firstRun={firstRun} onSwitched={setSwitched} onDone={onDone} />}
      {choice === 'postgres' && <PostgresChoice location={location} onSwitched={setSwitched} />}
      {choice === 'host' && <HostChoice location={location} onSwitched={setSwitched} />}
    </div>
  );
}

function CurrentLocation({ location }: { location: DataLocation }) {
  return (
    <section className="data-location-current" aria-label="Сейчас">
      <p>
        <strong>Сейчас:</strong> {location.summary}.
      </p>
      {location.status.state === 'open' ? (
        <p className="muted small">{location.status.schoolName ? `В базе школа «${location.status.schoolName}».` : 'Школа в этой базе ещё не создана.'}</p>
      ) : (
        <p className="message message-error" role="alert">
          База данных недоступна: {location.status.reason}
        </p>
      )}
      {location.host && <ForOtherPcs host={location.host} />}
    </section>
  );
}

/** What to type on the other PCs of the school. */
function ForOtherPcs({ host }: { host: NonNullable<DataLocation['host']> }) {
  const rows: Array<[string, string]> = [
    ['Сервер', host.forOtherPcs.host],
    ['Порт', String(host.forOtherPcs.port)],
    ['База данных', host.forOtherPcs.database],
    ['Пользователь', host.forOtherPcs.user],
    ['Пароль', host.forOtherPcs.password],
  ];
  return (
    <div className="data-location-for-others">
      <h3>Для других компьютеров школы</h3>
      <p className="small">
        На каждом компьютере: «Где хранить данные» → «Подключиться к серверу PostgreSQL», и введите (подключаться можно из сети {host.allowedNetwork}):
      </p>
      <table className="table table-compact" aria-label="Подключение для других компьютеров">
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className={name === 'Пароль' ? 'secret' : 'mono'}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Switched({ location, movedSchool, sqlitePath, onDone }: SwitchResult & { sqlitePath: string; onDone(): void }) {
  return (
    <div className="data-location">
      <p className="message message-success" role="status">
        Готово. Данные теперь хранятся так: {location.summary}.
      </p>
      {movedSchool && (
        <p>
          Данные школы «{movedSchool}» перенесены и сверены по каждой таблице (число строк и контрольные суммы). Файл <span className="mono">{sqlitePath}</span> остался на этом
          компьютере без изменений.
        </p>
      )}
      {location.host && <ForOtherPcs host={location.host} />}
      <p className="muted small">{movedSchool ? 'Все сеансы в прежней базе завершены: войдите снова с прежними логином и паролем.' : 'Все сеансы в прежней базе завершены: войдите снова.'}</p>
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onDone} autoFocus>
          Продолжить
        </button>
      </div>
    </div>
  );
}

/**
 * «Перенести данные школы на сервер», ticked by default: an administrator in a hurry who
 * switches must not find an empty journal. Unticked, it says what that means.
 */
function MoveDataField({ schoolName, checked, onChange }: { schoolName: string; checked: boolean; onChange(checked: boolean): void }) {
  return (
    <>
      <CheckboxField name="moveData" label={`Перенести данные школы «${schoolName}» на сервер (файл на этом компьютере сохранится)`} checked={checked} onChange={onChange} />
      {checked ? (
        <p className="small muted">Перенос сверяется по каждой таблице. Пока он идёт, журнал на этом компьютере недоступен.</p>
      ) : (
        <p className="message message-warn">Новая база будет пустой: школа «{schoolName}» останется в файле на этом компьютере.</p>
      )}
    </>
  );
}

/** Shown while a switch that moves the school runs: the request may take minutes. */
function MovingNotice({ moving }: { moving: boolean }) {
  if (!moving) return null;
  return (
    <p className="message message-info" role="status">
      Перенос данных… это может занять несколько минут. Не закрывайте «Журнал».
    </p>
  );
}

/** Runs a switch, saying while it runs whether the school is moving with it. */
function useSwitch(onSwitched: OnSwitched) {
  const [moving, setMoving] = useState(false);
  async function run(movedSchool: string | null, request: () => Promise<DataLocation>): Promise<void> {
    setMoving(movedSchool !== null);
    try {
      onSwitched({ location: await request(), movedSchool });
    } finally {
      setMoving(false);
    }
  }
  return { moving, run };
}

function SqliteChoice({ location, firstRun, onSwitched, onDone }: { location: DataLocation; firstRun: boolean; onSwitched: OnSwitched; onDone(): void }) {
  const here = location.kind === 'sqlite' && location.status.state === 'open';
  if (here && firstRun) {
    return (
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onDone} autoFocus>
          Продолжить
        </button>
      </div>
    );
  }
  if (here) return <p className="muted">Данные уже хранятся на этом компьютере: {location.sqlitePath}</p>;
  return (
    <Form aria-label="Хранить на этом компьютере" submitLabel="Хранить данные на этом компьютере" busyLabel="Открываю базу…" onSubmit={async () => onSwitched({ location: await api.call('pc.useSqlite', {}), movedSchool: null })}>
      <p className="small">
        Файл: <span className="mono">{location.sqlitePath}</span>. Данные с сервера сюда не переносятся.
      </p>
    </Form>
  );
}

function PostgresChoice({ location, onSwitched }: { location: DataLocation; onSwitched: OnSwitched }) {
  const current = location.postgres;
  const [host, setHost] = useState(current?.host ?? '');
  const [port, setPort] = useState(String(current?.port ?? 5432));
  const [database, setDatabase] = useState(current?.database ?? 'zhurnal');
  const [user, setUser] = useState(current?.user ?? '');
  const [password, setPassword] = useState('');
  const [tls, setTls] = useState<TlsMode>(current?.tls ?? 'off');
  const [check, setCheck] = useState<PostgresCheck | null>(null);
  const [consent, setConsent] = useState(false);
  const [moveData, setMoveData] = useState(true);
  const { moving, run } = useSwitch(onSwitched);

  const connection = { host, port: port.trim() === '' ? Number.NaN : Number(port), database, user, password, tls };
  const key = JSON.stringify(connection);
  // Any change to what was typed asks for a new check.
  useEffect(() => {
    setCheck(null);
    setConsent(false);
  }, [key]);

  const needsConsent = check !== null && check.pendingMigrations > 0;
  const refused = check !== null && (check.state === 'foreign' || check.state === 'newer');
  // A school moves only into a database without one.
  const movable = check !== null && check.schoolName === null ? schoolInFile(location) : null;
  const movedSchool = moveData ? movable : null;

  return (
    <>
      <Form aria-label="Подключение к серверу PostgreSQL" submitLabel="Проверить подключение" busyLabel="Проверяю…" onSubmit={async () => setCheck(await api.call('pc.checkPostgres', connection))}>
        <div className="field-row">
          <TextField name="host" label="Сервер" value={host} onChange={setHost} placeholder="192.168.1.10 или имя компьютера" autoComplete="off" />
          <TextField name="port" label="Порт" value={port} onChange={setPort} inputMode="numeric" autoComplete="off" />
        </div>
        <div className="field-row">
          <TextField name="database" label="База данных" value={database} onChange={setDatabase} autoComplete="off" />
          <TextField name="user" label="Пользователь" value={user} onChange={setUser} autoComplete="off" />
        </div>
        <div className="field-row">
          <TextField name="password" label="Пароль" type="password" value={password} onChange={setPassword} autoComplete="off" hint="Хранится на этом компьютере в зашифрованном виде" />
          <SelectField name="tls" label="Шифрование" value={tls} onChange={(value) => setTls(value as TlsMode)} options={tlsModes.map((mode) => ({ value: mode, label: tlsModeTitles[mode] }))} />
        </div>
      </Form>
      {check && (
        <div className="data-location-check">
          <p className={refused ? 'message message-error' : needsConsent ? 'message message-warn' : 'message message-success'} role="status">
            Подключение есть (PostgreSQL {check.serverVersion}). {check.message}
          </p>
          {!refused && (
            <Form
              aria-label="Подключить"
              submitLabel={needsConsent ? 'Обновить базу и подключить' : 'Подключить'}
              busyLabel={movedSchool ? 'Переношу данные…' : needsConsent ? 'Обновляю структуру базы…' : 'Подключаю…'}
              disabled={needsConsent && !consent}
              onSubmit={() => run(movedSchool, () => api.call('pc.usePostgres', { ...connection, applyMigrations: needsConsent && consent, moveData: movedSchool !== null }))}
            >
              {needsConsent && (
                <CheckboxField
                  name="applyMigrations"
                  label={`Согласен: обновить структуру базы «${database}» (шагов: ${check.pendingMigrations})`}
                  checked={consent}
                  onChange={setConsent}
                />
              )}
              {movable && <MoveDataField schoolName={movable} checked={moveData} onChange={setMoveData} />}
              {!movable && location.status.state === 'open' && location.status.schoolName && (
                <p className="small muted">Данные текущей базы на сервер не переносятся: школа «{location.status.schoolName}» останется там, где она сейчас.</p>
              )}
              <MovingNotice moving={moving} />
            </Form>
          )}
        </div>
      )}
    </>
  );
}

type LanAddress = { interface: string; address: string; network: string | null };

function HostChoice({ location, onSwitched }: { location: DataLocation; onSwitched: OnSwitched }) {
  const [addresses, setAddresses] = useState<LanAddress[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [listenAddress, setListenAddress] = useState(location.host?.listenAddress ?? '');
  const [allowedNetwork, setAllowedNetwork] = useState(location.host?.allowedNetwork ?? '');
  const [port, setPort] = useState(String(location.host?.forOtherPcs.port ?? 5432));
  const [moveData, setMoveData] = useState(true);
  const { moving, run } = useSwitch(onSwitched);
  const movable = schoolInFile(location);
  const movedSchool = moveData ? movable : null;

  useEffect(() => {
    api.call('pc.lanAddresses', {}).then(
      ({ addresses: found }) => {
        setAddresses(found);
        if (!listenAddress && found[0]) {
          setListenAddress(found[0].address);
          setAllowedNetwork(found[0].network ?? '');
        }
      },
      (error: unknown) => setLoadError(asApiError(error)),
    );
    // Once, when the choice opens; the chosen address is the person's from then on.
  }, []);

  if (loadError) return <p className="message message-error" role="alert">{loadError.message}</p>;
  if (!addresses) return <p className="muted">Ищу сетевые адреса этого компьютера…</p>;
  if (addresses.length === 0) {
    return <p className="message message-warn">У этого компьютера нет подключения к сети: другие компьютеры не смогут до него достучаться.</p>;
  }
  const choose = (address: string) => {
    setListenAddress(address);
    setAllowedNetwork(addresses.find((entry) => entry.address === address)?.network ?? allowedNetwork);
  };

  return (
    <Form
      aria-label="Сервер на этом компьютере"
      submitLabel={location.kind === 'host' ? 'Перезапустить сервер с этими настройками' : 'Сделать сервером и запустить'}
      busyLabel={movedSchool ? 'Запускаю сервер и переношу данные…' : 'Запускаю сервер базы данных…'}
      onSubmit={() =>
        run(movedSchool, () => api.call('pc.becomeHost', { listenAddress, allowedNetwork, port: port.trim() === '' ? Number.NaN : Number(port), moveData: movedSchool !== null }))
      }
    >
      <SelectField
        name="listenAddress"
        label="Сетевой адрес, на котором ждать подключений"
        value={listenAddress}
        onChange={choose}
        options={addresses.map((entry) => ({ value: entry.address, label: `${entry.address} (${entry.interface})` }))}
      />
      <div className="field-row">
        <TextField name="allowedNetwork" label="Из какой сети пускать" value={allowedNetwork} onChange={setAllowedNetwork} hint="Сеть школы, например 192.168.1.0/24" autoComplete="off" />
        <TextField name="port" label="Порт" value={port} onChange={setPort} inputMode="numeric" autoComplete="off" />
      </div>
      <p className="small muted">
        Данные будут в папке программы на этом компьютере, пароль для других компьютеров будет создан и показан здесь. Сервер запускается вместе с «Журналом». Чтобы он работал и без входа в систему, его запускают как службу командой «zhurnal host».
      </p>
      {movable && <MoveDataField schoolName={movable} checked={moveData} onChange={setMoveData} />}
      {!movable && location.status.state === 'open' && location.status.schoolName && location.kind !== 'host' && (
        <p className="message message-warn">Новая база будет пустой: школа «{location.status.schoolName}» останется в прежнем месте.</p>
      )}
      <MovingNotice moving={moving} />
    </Form>
  );
}
