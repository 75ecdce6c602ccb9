import type { CliCommand } from '../command';
import { auditKeyCommand } from './audit-key';
import { auditVerifyCommand } from './audit-verify';
import { backupCommand } from './backup';
import { exportCommand } from './export';
import { extractCommand } from './extract';
import { restoreCommand } from './restore';
import { verifyCommand } from './verify';
import { createAdminCommand } from './create-admin';
import { demoCommand } from './demo';
import { migrateCommand } from './migrate';
import { moveToPostgresCommand } from './move-to-postgres';
import { hostCommand } from './host';
import { printCommand } from './print';
import { reportCommand } from './report';

/** Every `zhurnal` command, in the order `zhurnal --help` lists them. */
export const commands: CliCommand[] = [migrateCommand, createAdminCommand, auditVerifyCommand, auditKeyCommand, backupCommand, verifyCommand, restoreCommand, exportCommand, demoCommand, printCommand, extractCommand, reportCommand, moveToPostgresCommand, hostCommand];
