import { setHandler } from '@temporalio/workflow';
import { resolveParkedStepUpdate } from '../messages';
import { refuseRequest } from './failures';
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
          refuseRequest('InvalidDecision', `unknown action ${String(req.action)}`);
        }
        if (!req.reason?.trim() || !req.by?.trim()) {
          refuseRequest('InvalidDecision', 'a decision needs a reason and who made it');
        }
        try {
          parking.validateDecision(req.step);
        } catch (err) {
          refuseRequest('InvalidDecision', (err as Error).message);
        }
      },
    },
  );
}
