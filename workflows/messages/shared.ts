// Messages every process understands.
import { defineUpdate } from '@temporalio/workflow';
import type { ParkDecisionAction } from '../shared/parking';

export interface ResolveParkedStepRequest {
  step: string;
  action: ParkDecisionAction;
  reason: string;
  by: string;
}
/** An operator's decision on a parked step (docs/architecture.md §4.3). */
export const resolveParkedStepUpdate = defineUpdate<
  { step: string; action: ParkDecisionAction },
  [ResolveParkedStepRequest]
>('resolveParkedStep');
