import { defineHandlers } from '../core/handlers';
import { listStaff } from '../school/people';

/** The staff list (staff.*): who may teach, lead a class, substitute. */
export function staffHandlers() {
  return defineHandlers({
    async 'staff.list'(input, ctx) {
      return listStaff(ctx.store.db, input);
    },
  });
}
