import { patched, setHandler } from '@temporalio/workflow';
import { lotSubject, dispositionRecordId } from '../../domain/lot';
import {
  buildDispositionRecord,
  dispositionRefusal,
  dispositionRequestSchema,
  manifestation,
  signDisposition,
  type SignedLotDisposition,
} from '../../domain/lot-disposition';
import { requiredNotPassed } from '../../domain/lot-inspection';
import {
  dispositionLotUpdate,
  liftLotHoldSignal,
  liftLotHoldUpdate,
  lotChildLearnedSignal,
  lotNcrStatusSignal,
  lotProducedSignal,
  lotStatusQuery,
  lotStockReceivedSignal,
  placeLotHoldSignal,
  placeLotHoldUpdate,
  recordInspectionResultSignal,
} from '../messages/lot';
import { legacyLiftLotHoldUpdate, legacyPlaceLotHoldUpdate } from '../messages/legacy';
import { refuseRequest as refuse } from '../shared/failures';
import { registerParkingHandler } from '../shared/parking-handler';
import { acceptInspection } from './inspections';
import type { LotRun } from './run';
import { lotView } from './view';

export function registerLotHandlers(run: LotRun): void {
  setHandler(lotProducedSignal, (notice) => run.acceptProduced(notice));
  setHandler(lotChildLearnedSignal, (child) => run.acceptChild(child));
  setHandler(lotStockReceivedSignal, (notice) => {
    if (run.state.registration.stockReceived) return;
    run.state.registration.stockReceived = true;
    run.note(
      'StockReceived',
      `Odoo received the lot's stock (order ${notice.orderRef}, ${notice.receivedAt})`,
      'order',
    );
  });
  setHandler(recordInspectionResultSignal, (result) => acceptInspection(run, result));

  // Holds from other workflows (an NCR) cannot be refused: they are applied while they make sense.
  setHandler(placeLotHoldSignal, (req) => {
    if (run.decidedFinal) {
      run.note(
        'HoldNotApplied',
        `hold ${req.holdId} from ${req.by} arrived after the final decision (${run.state.status}); the lot is no longer held by its run`,
        'ncr',
      );
      return;
    }
    run.placeHold(req);
  });
  setHandler(liftLotHoldSignal, (req) =>
    run.liftHolds(run.holdsNamed(req), req.by, req.reason, req.ncrId ? 'ncr' : 'person'),
  );
  setHandler(lotNcrStatusSignal, (notice) => run.ncrStatus(notice));

  setHandler(
    dispositionLotUpdate,
    (raw): SignedLotDisposition => {
      // The validator ran in this same workflow task: nothing can have changed in between.
      const parsed = dispositionRequestSchema.parse(raw);
      // Added after lots were already running: a reviewed release binds to the lot record as reviewed.
      const req = parsed.review && patched('lot-record-review') ? parsed : { ...parsed, review: undefined };
      const { material, lotId, site } = run.input;
      const sequence = run.state.dispositions.length + 1;
      const recordId = dispositionRecordId(material, lotId, sequence);
      const signedAt = new Date().toISOString();
      const record = buildDispositionRecord({
        recordId,
        sequence,
        subject: lotSubject(material, lotId),
        lot: { material, lotId, site, quantity: run.quantity, producedBy: run.producers.map((p) => p.orderRef) },
        request: req,
        inspections: run.inspectionSummary(),
        openNcrs: run.openNcrs,
        holds: run.state.holds.map((h) => h.holdId),
        requiredNotPassed: requiredNotPassed(run.state.plan ?? null, run.state.inspections),
        signedAt,
        previousRecordHash: run.state.dispositions.at(-1)?.signature.recordHash ?? null,
      });
      const signature = signDisposition(record, req);
      const signed: SignedLotDisposition = { recordId, record, signature, manifestation: manifestation(signature) };
      run.recordDecision(signed);
      return signed;
    },
    {
      // A validator runs only for a new Update, never on replay, and a refused Update leaves no event: its rules
      // (a release needs a review of the lot record, ReviewRequired) change with no patch marker, and histories
      // that hold releases signed before the rule still replay. A patched() call here would write a marker
      // even for a refused Update.
      validator: (raw) => {
        const refusal = dispositionRefusal(run.dispositionContext(), raw);
        if (refusal) refuse(refusal.type, refusal.message);
        const reviewed = (raw as { review?: { lotFingerprint?: string } }).review?.lotFingerprint;
        if (reviewed && reviewed !== run.fingerprint)
          refuse(
            'RecordChanged',
            'the lot changed since its record was reviewed: review the record again before signing',
          );
      },
    },
  );

  for (const update of [placeLotHoldUpdate, legacyPlaceLotHoldUpdate]) {
    setHandler(
      update,
      (req) => {
        run.placeHold({ ...req, source: 'person' });
        return { holds: run.state.holds.length, status: run.state.status };
      },
      {
        validator: (req) => {
          if (!req?.holdId?.trim() || !req.reason?.trim() || !req.by?.trim())
            refuse('InvalidHold', 'a hold needs holdId, reason and by');
          if (run.decidedFinal)
            refuse('LotDecided', `the lot is ${run.state.status}; a decided lot is contained through a nonconformance`);
        },
      },
    );
  }

  for (const update of [liftLotHoldUpdate, legacyLiftLotHoldUpdate])
    setHandler(
      update,
      (req) => {
        run.liftHolds(run.holdsNamed({ holdId: req.holdId }), req.by, req.reason, 'person');
        return { holds: run.state.holds.length, status: run.state.status };
      },
      {
        validator: (req) => {
          if (!req?.reason?.trim() || !req.by?.trim())
            refuse('InvalidHold', 'lifting a hold needs a reason and who lifts it');
          const named = run.holdsNamed({ holdId: req.holdId });
          if (named.length === 0)
            refuse(
              'UnknownHold',
              `no active hold ${req.holdId} (active: ${run.state.holds.map((h) => h.holdId).join(', ') || 'none'})`,
            );
          const ncrHold = named.find((h) => h.source === 'ncr');
          if (ncrHold)
            refuse(
              'HoldRefused',
              `hold ${req.holdId} belongs to nonconformance ${ncrHold.ncrId}; only the NCR lifts it`,
            );
        },
      },
    );

  registerParkingHandler(run.parking);
  setHandler(lotStatusQuery, () => lotView(run));
}
