import { defineHandlers } from '../core/handlers';
import type { JobRunner } from './runner';

// Watching and stopping any long job; each feature starts its own (print.schoolJob.start, …).
export const jobHandlers = (jobs: JobRunner) =>
  defineHandlers({
    'jobs.status': async (input, ctx) => jobs.status(input.jobId, ctx.requireCaller().userId),
    'jobs.cancel': async (input, ctx) => jobs.cancel(input.jobId, ctx.requireCaller().userId),
    'jobs.mine': async (input, ctx) => jobs.mine(ctx.requireCaller().userId, input.kind),
  });
