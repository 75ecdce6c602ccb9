import type { CliCommand } from '../command';

/** Every `zhurnal` command, in the order `zhurnal --help` lists them. */
export const commands: CliCommand[] = [];
