import { withId, type ZhurnalMigration } from './helpers';

export const backup: ZhurnalMigration = {
  async up(db, engine) {
    // One row per backup attempt per destination (issue «Weekly flash-drive backups»): the
    // admin screen shows the last success per destination and how old it is.
    await withId(db.schema.createTable('backup_run'), engine)
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('trigger', 'text', (c) => c.notNull()) // 'schedule' | 'catch-up' | 'manual' | 'cli'
      .addColumn('destination', 'text', (c) => c.notNull()) // 'drive:LABEL' | 'folder:/path'
      .addColumn('location', 'text') // the folder actually written, when found
      .addColumn('status', 'text', (c) => c.notNull()) // 'ok' | 'failed' | 'skipped'
      .addColumn('file_name', 'text')
      .addColumn('size_bytes', 'integer')
      .addColumn('error', 'text')
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id'))
      .execute();
    await db.schema.createIndex('backup_run_destination').on('backup_run').columns(['destination', 'started_at']).execute();
  },
};
