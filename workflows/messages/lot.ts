// Lot messages (docs/architecture.md §2.2): its workflow type and input, and every Signal, Update and Query.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ChildLink, ProducedNotice } from '../../domain/lot-genealogy';
import type { LotDispositionRequest, SignedLotDisposition } from '../../domain/lot-disposition';
import type { InspectionResult } from '../../domain/lot-inspection';
import type {
  LotHoldRequest,
  LotLiftHoldRequest,
  LotNcrStatusNotice,
  LotStockReceivedNotice,
  PersonLotHoldRequest,
} from '../../domain/notices';
import type { LotStart } from '../../domain/starts';
import type { LotState, LotStatusView } from '../lot/state';

/** Workflow type of the lot process (workflows/lot.ts), id lot:<material>:<lotId>. */
export const LOT_WORKFLOW_TYPE = 'materialLot';

export interface LotWorkflowInput extends LotStart {
  /** The state a continued run hands to its successor. */
  carry?: LotState;
}

/**
 * Sent (with signal-with-start) by the producing order for every MaterialProduced of the lot. Parents
 * and executors are merged, quantities add up by source event.
 */
export const lotProducedSignal = defineSignal<[ProducedNotice]>('lotProduced');

/** Sent by the producing order once Odoo has received the finished goods (MO done). */
export const lotStockReceivedSignal = defineSignal<[LotStockReceivedNotice]>('lotStockReceived');

/** Holds and lifts from another run (an NCR containing the lot); people use the Updates of the same name. */
export const placeLotHoldSignal = defineSignal<[LotHoldRequest]>('placeLotHold');
export const liftLotHoldSignal = defineSignal<[LotLiftHoldRequest]>('liftLotHold');

/**
 * A parent lot learns that a lot was made from it (sent best-effort by the registration of the child).
 * Forward genealogy does not depend on it: the child's ParentLots search attribute is the index.
 */
export const lotChildLearnedSignal = defineSignal<[ChildLink]>('lotChildLearned');

/** One inspection result (QMS / lab); duplicates (same eventId) are ignored. */
export const recordInspectionResultSignal = defineSignal<[InspectionResult]>('recordInspectionResult');

/** An NCR tells each lot it concerns how it stands. */
export const lotNcrStatusSignal = defineSignal<[LotNcrStatusNotice]>('lotNcrStatus');

/** Disposition by a person: the API re-authenticated the signer and passes the verified identity. */
export const dispositionLotUpdate = defineUpdate<SignedLotDisposition, [LotDispositionRequest]>('dispositionLot');

/** Holds placed and lifted by people (roles qa/qp); NCR holds are lifted only by the NCR's signal. */
export const placeLotHoldUpdate = defineUpdate<{ holds: number; status: string }, [PersonLotHoldRequest]>(
  'placeLotHold',
);
export const liftLotHoldUpdate = defineUpdate<{ holds: number; status: string }, [LotLiftHoldRequest]>('liftLotHold');

export const lotStatusQuery = defineQuery<LotStatusView>('lotStatus');
