import { AppError } from '../core/errors';
import { defineHandlers } from '../core/handlers';

/**
 * The `pc.*` methods belong to this PC's station (./station.ts), which owns the core and
 * can switch it. A core opened without one (the CLI, a test) answers them with a refusal.
 */
const noStation = async (): Promise<never> => {
  throw new AppError('unavailable', 'Выбор места хранения данных доступен только в приложении «Журнал» на этом компьютере.');
};

export function pcHandlersWithoutStation() {
  return defineHandlers({
    'pc.dataLocation': noStation,
    'pc.lanAddresses': noStation,
    'pc.checkPostgres': noStation,
    'pc.usePostgres': noStation,
    'pc.useSqlite': noStation,
    'pc.becomeHost': noStation,
  });
}
