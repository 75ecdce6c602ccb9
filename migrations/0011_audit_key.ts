import { sql } from 'kysely';
import type { ZhurnalMigration } from './helpers';

/** The journal's tables whose rows audit verify checks against the history. */
const GUARDED_TABLES = ['lesson', 'mark', 'attendance', 'final_mark'];

export const auditKey: ZhurnalMigration = {
  async up(db, engine) {
    // Hash scheme 3 keys the audit chain with the school's audit key (src-main/audit/key.ts).
    // The key stays on the PCs; the database keeps only its id: in the school row, and in
    // each keyed record, so a record keyed with another key is told apart.
    await db.schema.alterTable('school').addColumn('audit_key_id', 'text').execute();
    await db.schema.alterTable('audit_log').addColumn('key_id', 'text').execute();
    if (engine === 'postgres') await guardJournalTables(db);
  },
};

/**
 * PostgreSQL: a transaction that writes the journal's tables must also append to the audit
 * history, or it is refused at commit (README, «Security»). Inserting audit records marks the transaction with a token that only
 * these functions can make (a hash of a secret the application role cannot read and the
 * transaction id); a journal write queues one check per transaction, run at commit. The
 * guard lives in its own schema, outside backups and the application role's reach. The
 * owner (migrations, restore, moving a school in) is let through: it could drop the
 * triggers anyway.
 */
async function guardJournalTables(db: Parameters<ZhurnalMigration['up']>[0]): Promise<void> {
  await sql`create schema zhurnal_guard`.execute(db);
  await sql`revoke all on schema zhurnal_guard from public`.execute(db);
  await sql`create table zhurnal_guard.secret (secret text not null)`.execute(db);
  await sql`insert into zhurnal_guard.secret (secret) values (gen_random_uuid()::text || gen_random_uuid()::text)`.execute(db);
  await sql`create table zhurnal_guard.pending (tx xid8 primary key)`.execute(db);

  await sql.raw(`
create function zhurnal_guard.audit_written() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if exists (select 1 from added) then
    perform set_config('zhurnal.audit_token',
      encode(sha256(convert_to((select secret from zhurnal_guard.secret) || ':' || pg_current_xact_id()::text, 'UTF8')), 'hex'), true);
  end if;
  return null;
end $$`).execute(db);

  await sql.raw(`
create function zhurnal_guard.journal_written() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if exists (select 1 from changed) then
    insert into zhurnal_guard.pending (tx) values (pg_current_xact_id()) on conflict do nothing;
  end if;
  return null;
end $$`).execute(db);

  await sql.raw(`
create function zhurnal_guard.check_audited() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  owner oid := (select relowner from pg_class where oid = 'public.mark'::regclass);
begin
  delete from zhurnal_guard.pending where tx = new.tx;
  if pg_has_role(session_user, owner, 'MEMBER') then
    return null;
  end if;
  if current_setting('zhurnal.audit_token', true) is distinct from
     encode(sha256(convert_to((select secret from zhurnal_guard.secret) || ':' || pg_current_xact_id()::text, 'UTF8')), 'hex') then
    raise exception using
      errcode = 'ZJ001',
      message = 'Изменение журнала без записи в журнале изменений отклонено: отметки, пропуски, уроки и итоговые отметки меняются только через «Журнал».';
  end if;
  return null;
end $$`).execute(db);

  await sql.raw(`revoke all on all functions in schema zhurnal_guard from public`).execute(db);
  await sql.raw(`create trigger audit_written after insert on public.audit_log referencing new table as added for each statement execute function zhurnal_guard.audit_written()`).execute(db);
  await sql.raw(`create constraint trigger check_audited after insert on zhurnal_guard.pending deferrable initially deferred for each row execute function zhurnal_guard.check_audited()`).execute(db);
  for (const table of GUARDED_TABLES) {
    for (const [event, transition] of [['insert', 'new'], ['update', 'new'], ['delete', 'old']] as const) {
      await sql.raw(`create trigger ${table}_${event}_audited after ${event} on public.${table} referencing ${transition} table as changed for each statement execute function zhurnal_guard.journal_written()`).execute(db);
    }
  }
}
