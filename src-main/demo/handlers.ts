import { defineHandlers } from '../core/handlers';
import { localDate } from './calendar';
import { DEMO_TIME_ZONE, generateDemoSchool } from './generate';

/** The first-run choice «Открыть демонстрационную школу»: a mid-size school, one year. */
export function demoHandlers() {
  return defineHandlers({
    async 'setup.createDemo'(input, ctx) {
      const now = ctx.now();
      // The generator refuses a database that already has a school (conflict).
      const result = await generateDemoSchool(ctx.store, {
        seed: input.seed,
        today: localDate(now, DEMO_TIME_ZONE),
        auditAt: now.toISOString(),
      });
      return { schoolName: result.schoolName, accounts: result.accounts, password: result.password };
    },
  });
}
