import { ApplicationFailure } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import { resolveParkedStepUpdate } from '../messages';
import type { ParkingLot } from './parking';

/** The operator Update every process shares: retry, skip or abort a parked step, with a reason. */
export function registerParkingHandler(parking: ParkingLot): void {
  setHandler(
    resolveParkedStepUpdate,
    (req) => {
      parking.decide(req.step, { action: req.action, reason: req.reason, by: req.by });
      return { step: req.step, action: req.action };
    },
    {
      validator: (req) => {
        if (!['retry', 'skip', 'abort'].includes(req.action)) {
          throw ApplicationFailure.nonRetryable(`unknown action ${String(req.action)}`, 'InvalidDecision');
        }
        if (!req.reason?.trim() || !req.by?.trim()) {
          throw ApplicationFailure.nonRetryable('a decision needs a reason and who made it', 'InvalidDecision');
        }
        try {
          parking.validateDecision(req.step);
        } catch (err) {
          throw ApplicationFailure.nonRetryable((err as Error).message, 'InvalidDecision');
        }
      },
    },
  );
}
