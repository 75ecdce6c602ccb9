import pg from 'pg';

/**
 * Least privilege on a school's PostgreSQL.
 * The owner role (the one that ran the migrations) keeps DDL; the staff PCs connect as an
 * application role that may only read and write rows — and may only INSERT into the audit
 * log, so not even a stolen PC password can rewrite the history of the journal.
 */
const APPEND_ONLY_TABLES = ['audit_log'];

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

export interface AppRole {
  name: string;
  password: string;
}

/** Creates (or updates the password of) the application role and grants exactly what it needs. */
export async function grantApplicationRole(ownerUrl: string, role: AppRole): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role.name)) throw new Error(`Недопустимое имя роли: ${role.name}`);
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const database = (await client.query<{ db: string }>('select current_database() as db')).rows[0]!.db;
    const exists = (await client.query('select 1 from pg_roles where rolname = $1', [role.name])).rowCount! > 0;
    const roleSql = quoteIdent(role.name);
    // Utility statements take no bind parameters, hence the quoted literal.
    await client.query(`${exists ? 'alter' : 'create'} role ${roleSql} login password ${quoteLiteral(role.password)} nosuperuser nocreatedb nocreaterole`);
    await client.query('begin');
    await client.query(`revoke all on database ${quoteIdent(database)} from public`);
    await client.query(`grant connect on database ${quoteIdent(database)} to ${roleSql}`);
    await client.query(`revoke create on schema public from public`);
    await client.query(`grant usage on schema public to ${roleSql}`);
    await client.query(`grant select, insert, update, delete on all tables in schema public to ${roleSql}`);
    await client.query(`grant usage, select on all sequences in schema public to ${roleSql}`);
    // Tables that later migrations add get the same row rights without another grant.
    await client.query(`alter default privileges in schema public grant select, insert, update, delete on tables to ${roleSql}`);
    await client.query(`alter default privileges in schema public grant usage, select on sequences to ${roleSql}`);
    for (const table of APPEND_ONLY_TABLES) {
      await client.query(`revoke update, delete, truncate on table ${quoteIdent(table)} from ${roleSql}`);
    }
    // The migration bookkeeping is the owner's business: the app only reads it.
    await client.query(`revoke insert, update, delete on table kysely_migration, kysely_migration_lock from ${roleSql}`);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
