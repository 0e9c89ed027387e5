import { NotVerifiedError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';

/** A criterion only a person can judge (a video, how a page renders): reported as not verified, with what to look at. */
export function personVerifies(ctx: Ctx, criterion: string): StepResult {
  return ctx.check(criterion, async () => {
    throw new NotVerifiedError(`needs a person: ${criterion}`, 'kubeproof cannot judge this; a reviewer signs it off from the deliverable itself');
  });
}

/**
 * A criterion of the platform's document that cannot run here (a cloud, a component no registry
 * carries, hardware): reported as not verified with the reason, so it is listed, never dropped.
 */
export function cannotRunHere(ctx: Ctx, reason: string): StepResult {
  return ctx.check('this criterion needs what this environment does not have', async () => {
    throw new NotVerifiedError(`cannot run here: ${reason}`, 'verify it where that exists, or sign it off from the platform team’s own evidence');
  });
}
