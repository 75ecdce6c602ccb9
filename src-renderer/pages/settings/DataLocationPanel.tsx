import { useEffect, useRef, useState } from 'react';
import { useWatch } from 'react-hook-form';
import type { z } from 'zod';
import type { DataLocation, PostgresCheck } from '../../../src-shared/contract/pc';
import { pcContract, tlsModes, tlsModeTitles } from '../../../src-shared/contract/pc';
import { api, asApiError, type ApiError } from '../../api/client';
import { ContractForm, FormCheckbox, FormSelect, FormText, useContractForm, wholeNumberText } from '../../ui/contract-form';
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
function MoveDataField({ schoolName }: { schoolName: string }) {
  const checked = useWatch({ name: 'moveData' }) as boolean | undefined;
  return (
    <>
      <FormCheckbox name="moveData" label={`Перенести данные школы «${schoolName}» на сервер (файл на этом компьютере сохранится)`} />
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
  return <SqliteForm location={location} onSwitched={onSwitched} />;
}

function SqliteForm({ location, onSwitched }: { location: DataLocation; onSwitched: OnSwitched }) {
  const form = useContractForm(pcContract['pc.useSqlite'].input, {});
  return (
    <ContractForm
      form={form}
      aria-label="Хранить на этом компьютере"
      submitLabel="Хранить данные на этом компьютере"
      busyLabel="Открываю базу…"
      onSubmit={async (values) => onSwitched({ location: await api.call('pc.useSqlite', values), movedSchool: null })}
    >
      <p className="small">
        Файл: <span className="mono">{location.sqlitePath}</span>. Данные с сервера сюда не переносятся.
      </p>
    </ContractForm>
  );
}

const connectionInput = pcContract['pc.checkPostgres'].input;
const connectionFields = connectionInput.extend({ port: wholeNumberText(connectionInput.shape.port.unwrap(), 'Порт — целым числом, например 5432') });
type Connection = z.output<typeof connectionFields>;
const switchFields = pcContract['pc.usePostgres'].input.pick({ applyMigrations: true, moveData: true });

function PostgresChoice({ location, onSwitched }: { location: DataLocation; onSwitched: OnSwitched }) {
  const current = location.postgres;
  const form = useContractForm(connectionFields, {
    host: current?.host ?? '',
    port: String(current?.port ?? 5432),
    database: current?.database ?? 'zhurnal',
    user: current?.user ?? '',
    password: '',
    tls: current?.tls ?? 'off',
  });
  const [checked, setChecked] = useState<{ connection: Connection; check: PostgresCheck } | null>(null);

  // Any change to what was typed asks for a new check.
  const typed = JSON.stringify(form.watch());
  useEffect(() => setChecked(null), [typed]);

  return (
    <>
      <ContractForm
        form={form}
        aria-label="Подключение к серверу PostgreSQL"
        submitLabel="Проверить подключение"
        busyLabel="Проверяю…"
        onSubmit={async (connection) => setChecked({ connection, check: await api.call('pc.checkPostgres', connection) })}
      >
        <div className="field-row">
          <FormText name="host" label="Сервер" placeholder="192.168.1.10 или имя компьютера" autoComplete="off" />
          <FormText name="port" label="Порт" inputMode="numeric" autoComplete="off" />
        </div>
        <div className="field-row">
          <FormText name="database" label="База данных" autoComplete="off" />
          <FormText name="user" label="Пользователь" autoComplete="off" />
        </div>
        <div className="field-row">
          <FormText name="password" label="Пароль" type="password" autoComplete="off" hint="Хранится на этом компьютере в зашифрованном виде" />
          <FormSelect name="tls" label="Шифрование" options={tlsModes.map((mode) => ({ value: mode, label: tlsModeTitles[mode] }))} />
        </div>
      </ContractForm>
      {checked && <PostgresSwitch location={location} {...checked} onSwitched={onSwitched} />}
    </>
  );
}

/** What the check found, and the switch to that server. */
function PostgresSwitch({ location, connection, check, onSwitched }: { location: DataLocation; connection: Connection; check: PostgresCheck; onSwitched: OnSwitched }) {
  const form = useContractForm(switchFields, { applyMigrations: false, moveData: true });
  const consent = form.watch('applyMigrations') ?? false;
  const moveData = form.watch('moveData') ?? false;
  const { moving, run } = useSwitch(onSwitched);
  const needsConsent = check.pendingMigrations > 0;
  const refused = check.state === 'foreign' || check.state === 'newer';
  // A school moves only into a database without one.
  const movable = check.schoolName === null ? schoolInFile(location) : null;
  const movedSchool = moveData ? movable : null;

  return (
    <div className="data-location-check">
      <p className={refused ? 'message message-error' : needsConsent ? 'message message-warn' : 'message message-success'} role="status">
        Подключение есть (PostgreSQL {check.serverVersion}). {check.message}
      </p>
      {!refused && (
        <ContractForm
          form={form}
          aria-label="Подключить"
          submitLabel={needsConsent ? 'Обновить базу и подключить' : 'Подключить'}
          busyLabel={movedSchool ? 'Переношу данные…' : needsConsent ? 'Обновляю структуру базы…' : 'Подключаю…'}
          disabled={needsConsent && !consent}
          onSubmit={() =>
            run(movedSchool, () => api.call('pc.usePostgres', { ...connection, applyMigrations: needsConsent && consent, moveData: movedSchool !== null }))
          }
        >
          {needsConsent && <FormCheckbox name="applyMigrations" label={`Согласен: обновить структуру базы «${connection.database}» (шагов: ${check.pendingMigrations})`} />}
          {movable && <MoveDataField schoolName={movable} />}
          {!movable && location.status.state === 'open' && location.status.schoolName && (
            <p className="small muted">Данные текущей базы на сервер не переносятся: школа «{location.status.schoolName}» останется там, где она сейчас.</p>
          )}
          <MovingNotice moving={moving} />
        </ContractForm>
      )}
    </div>
  );
}

type LanAddress = { interface: string; address: string; network: string | null };

const hostInput = pcContract['pc.becomeHost'].input;
const hostFields = hostInput.extend({ port: wholeNumberText(hostInput.shape.port.unwrap(), 'Порт — целым числом, например 5432') });

function HostChoice({ location, onSwitched }: { location: DataLocation; onSwitched: OnSwitched }) {
  const [addresses, setAddresses] = useState<LanAddress[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);

  useEffect(() => {
    api.call('pc.lanAddresses', {}).then(
      ({ addresses: found }) => setAddresses(found),
      (error: unknown) => setLoadError(asApiError(error)),
    );
  }, []);

  if (loadError) return <p className="message message-error" role="alert">{loadError.message}</p>;
  if (!addresses) return <p className="muted">Ищу сетевые адреса этого компьютера…</p>;
  if (addresses.length === 0) {
    return <p className="message message-warn">У этого компьютера нет подключения к сети: другие компьютеры не смогут до него достучаться.</p>;
  }
  return <HostForm location={location} addresses={addresses} onSwitched={onSwitched} />;
}

function HostForm({ location, addresses, onSwitched }: { location: DataLocation; addresses: LanAddress[]; onSwitched: OnSwitched }) {
  // The address this PC serves on already, else its first one with that one's network.
  const first = addresses[0]!;
  const form = useContractForm(hostFields, {
    listenAddress: location.host?.listenAddress || first.address,
    allowedNetwork: location.host?.listenAddress ? location.host.allowedNetwork : (first.network ?? ''),
    port: String(location.host?.forOtherPcs.port ?? 5432),
    moveData: true,
  });
  const { moving, run } = useSwitch(onSwitched);
  const movable = schoolInFile(location);
  const movedSchool = form.watch('moveData') ? movable : null;

  // Another address chosen: the network it is on, which the person may still change.
  const listenAddress = form.watch('listenAddress');
  const shownAddress = useRef(listenAddress);
  useEffect(() => {
    if (shownAddress.current === listenAddress) return;
    shownAddress.current = listenAddress;
    const network = addresses.find((entry) => entry.address === listenAddress)?.network;
    if (network) form.setValue('allowedNetwork', network, { shouldValidate: form.getFieldState('allowedNetwork').isTouched });
  }, [listenAddress, addresses, form]);

  return (
    <ContractForm
      form={form}
      aria-label="Сервер на этом компьютере"
      submitLabel={location.kind === 'host' ? 'Перезапустить сервер с этими настройками' : 'Сделать сервером и запустить'}
      busyLabel={movedSchool ? 'Запускаю сервер и переношу данные…' : 'Запускаю сервер базы данных…'}
      onSubmit={(values) => run(movedSchool, () => api.call('pc.becomeHost', { ...values, moveData: movedSchool !== null }))}
    >
      <FormSelect
        name="listenAddress"
        label="Сетевой адрес, на котором ждать подключений"
        options={addresses.map((entry) => ({ value: entry.address, label: `${entry.address} (${entry.interface})` }))}
      />
      <div className="field-row">
        <FormText name="allowedNetwork" label="Из какой сети пускать" hint="Сеть школы, например 192.168.1.0/24" autoComplete="off" />
        <FormText name="port" label="Порт" inputMode="numeric" autoComplete="off" />
      </div>
      <p className="small muted">
        Данные будут в папке программы на этом компьютере, пароль для других компьютеров будет создан и показан здесь. Сервер запускается вместе с «Журналом». Чтобы он работал и без входа в систему, его запускают как службу командой «zhurnal host».
      </p>
      {movable && <MoveDataField schoolName={movable} />}
      {!movable && location.status.state === 'open' && location.status.schoolName && location.kind !== 'host' && (
        <p className="message message-warn">Новая база будет пустой: школа «{location.status.schoolName}» останется в прежнем месте.</p>
      )}
      <MovingNotice moving={moving} />
    </ContractForm>
  );
}
