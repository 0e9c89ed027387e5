import { NotVerifiedError } from '../engine/errors';
import type { StepResult } from '../engine/verdict';
import type { Ctx } from './shared/context';

/** A criterion only a person can judge (a video, how a page renders): reported as not verified, with what to look at. */
export function personVerifies(ctx: Ctx, criterion: string): StepResult {
  return ctx.check(criterion, async () => {
    throw new NotVerifiedError(`needs a person: ${criterion}`, 'kubeproof cannot judge this; a reviewer signs it off from the deliverable itself');
  });
}
