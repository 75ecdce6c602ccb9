import type { ZhurnalMigration } from './helpers';

export const accountBlockReason: ZhurnalMigration = {
  async up(db) {
    // An administrator blocks an account with a reason, shown beside it in the accounts list.
    await db.schema.alterTable('app_user').addColumn('blocked_reason', 'text').execute();
  },
};
