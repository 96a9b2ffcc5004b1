// Wire names registered before the naming rule (a message's registered name is its TypeScript name
// without the Signal/Update/Query suffix). Histories of runs started before hold them: the workflows
// still take them, and a run that sent one sends it again on replay (patch MESSAGE_NAMES_PATCH).
import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { HoldRequest, LiftHoldRequest, LotLiftHoldRequest, PersonLotHoldRequest } from '../../domain/notices';

export const MESSAGE_NAMES_PATCH = 'message-names';

export const legacyPlaceOrderHoldSignal = defineSignal<[HoldRequest]>('placeOrderHoldSignal');
export const legacyLiftOrderHoldSignal = defineSignal<[LiftHoldRequest]>('liftOrderHoldSignal');
export const legacyPlaceLotHoldUpdate = defineUpdate<{ holds: number; status: string }, [PersonLotHoldRequest]>(
  'placeLotHoldUpdate',
);
export const legacyLiftLotHoldUpdate = defineUpdate<{ holds: number; status: string }, [LotLiftHoldRequest]>(
  'liftLotHoldUpdate',
);
