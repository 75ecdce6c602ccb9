import type { Role } from '../../src-shared/roles';
import type { Account } from '../../src-shared/contract/accounts';
import type { Db } from '../store/database';
import type { UserRow } from './tables';

export async function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('login', '=', login).executeTakeFirst();
}

export async function findUser(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The account and its roles in one query: the router re-reads them on every call (a blocked
 * account stops at its next click), so this is on every call's path.
 */
export async function findUserWithRoles(db: Db, id: number): Promise<{ user: UserRow; roles: Role[] } | undefined> {
  const rows = await db
    .selectFrom('app_user as u')
    .leftJoin('user_role as r', 'r.user_id', 'u.id')
    .selectAll('u')
    .select('r.role as role')
    .where('u.id', '=', id)
    .orderBy('r.role')
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  const { role: _role, ...user } = first;
  return { user: user as UserRow, roles: rows.flatMap((row) => (row.role ? [row.role as Role] : [])) };
}

export async function rolesOf(db: Db, userId: number): Promise<Role[]> {
  const rows = await db.selectFrom('user_role').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((r) => r.role as Role);
}

export async function setRoles(db: Db, userId: number, roles: readonly Role[]): Promise<void> {
  await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
  if (roles.length > 0) {
    await db.insertInto('user_role').values([...new Set(roles)].map((role) => ({ user_id: userId, role }))).execute();
  }
}

export function toAccount(row: UserRow, roles: Role[]): Account {
  return {
    id: row.id,
    login: row.login,
    fullName: row.full_name,
    position: row.position,
    roles,
    active: row.active === 1,
    blockedReason: row.active === 1 ? null : row.blocked_reason,
    mustChangePassword: row.must_change_password === 1,
    lockedUntil: row.locked_until,
    compromisedAt: row.compromised_at,
    version: row.version,
  };
}

export async function listAccounts(db: Db): Promise<Account[]> {
  const [users, roleRows] = await Promise.all([
    db.selectFrom('app_user').selectAll().orderBy('full_name').execute(),
    db.selectFrom('user_role').select(['user_id', 'role']).orderBy('role').execute(),
  ]);
  const rolesByUser = new Map<number, Role[]>();
  for (const row of roleRows) {
    const list = rolesByUser.get(row.user_id) ?? [];
    list.push(row.role as Role);
    rolesByUser.set(row.user_id, list);
  }
  return users.map((user) => toAccount(user, rolesByUser.get(user.id) ?? []));
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewAccount {
  login: string;
  fullName: string;
  position: string;
  roles: readonly Role[];
  passwordHash: string;
  mustChangePassword: boolean;
  createdAt: string;
}

export async function insertAccount(db: Db, account: NewAccount): Promise<UserRow> {
  const row = await db
    .insertInto('app_user')
    .values({
      login: account.login,
      full_name: account.fullName,
      position: account.position,
      password_hash: account.passwordHash,
      must_change_password: account.mustChangePassword ? 1 : 0,
      active: 1,
      failed_attempts: 0,
      created_at: account.createdAt,
      version: 1,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await setRoles(db, row.id, account.roles);
  return row;
}
