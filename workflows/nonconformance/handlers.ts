import { setHandler } from '@temporalio/workflow';
import { ROOT_CAUSE_CATEGORIES } from '../../domain/ncr';
import {
  buildRecord,
  coSign,
  coSignProblem,
  dispositionProblem,
  findAffectedLot,
  newLine,
  nextLineId,
  signerProblem,
} from '../../domain/ncr-dispositions';
import { qty } from '../../domain/quantity';
import {
  closeNcrUpdate,
  coSignNcrDispositionUpdate,
  confirmNcrExecutionUpdate,
  dispositionNcrUpdate,
  ncrStatusQuery,
  recordNcrRootCauseUpdate,
  rerunNcrContainmentUpdate,
  withdrawNcrDispositionUpdate,
} from '../messages/ncr';
import { refuseRequest as refuse } from '../shared/failures';
import { registerParkingHandler } from '../shared/parking-handler';
import { closeProblem, signClosure } from './close';
import type { NcrRun } from './run';

const closedReason = (run: NcrRun): string | undefined =>
  run.terminal
    ? `NCR ${run.ncrId} is ${run.state.status}`
    : run.state.closure
      ? `NCR ${run.ncrId} is being closed`
      : undefined;

export function registerNcrHandlers(run: NcrRun): void {
  setHandler(
    dispositionNcrUpdate,
    ({ line, signer }) => {
      const lot = findAffectedLot(run.lots, line.lotId, line.material)!;
      const record = buildRecord(run.ncrId, line.lineId ?? nextLineId(run.state.lines), lot, line);
      const created = newLine(record, signer, run.input.severity, new Date().toISOString());
      run.state.lines.push(created);
      const by = `${signer.printedName} (${signer.userId})`;
      run.note(
        'Disposition',
        `${record.lineId}: ${record.decision} ${qty.format(record.quantity)} of ${record.lotId} signed by ${by}` +
          (created.status === 'pending_cosign' ? ', awaiting a second signature' : ''),
        signer.userId,
      );
      run.refreshStatus();
      return created;
    },
    {
      validator: ({ line, signer }) => {
        const problem = dispositionProblem(
          {
            ncrId: run.ncrId,
            severity: run.input.severity,
            lots: run.lots,
            quantity: run.input.quantity,
            lines: run.state.lines,
            closedReason: closedReason(run),
          },
          line ?? ({} as never),
        );
        if (problem) refuse(closedReason(run) ? 'NcrClosed' : 'DispositionRefused', problem);
        const signing = signerProblem(signer, Date.now());
        if (signing) refuse('SignatureRefused', signing);
      },
    },
  );

  setHandler(
    coSignNcrDispositionUpdate,
    ({ lineId, reason, signer }) => {
      const line = run.line(lineId)!;
      Object.assign(line, coSign(line, signer, reason, new Date().toISOString()));
      run.note(
        'CoSigned',
        `${lineId} co-signed by ${signer.printedName} (${signer.userId})${line.status === 'approved' ? ': approved' : ''}`,
        signer.userId,
      );
      run.refreshStatus();
      return line;
    },
    {
      validator: ({ lineId, reason, signer }) => {
        const closed = closedReason(run);
        if (closed) refuse('NcrClosed', closed);
        const line = run.line(lineId);
        if (!line) refuse('UnknownDispositionLine', `NCR ${run.ncrId} has no disposition line ${lineId}`);
        if (line!.status !== 'pending_cosign')
          refuse('DispositionRefused', `line ${lineId} is ${line!.status}, it awaits no co-signature`);
        if (!reason?.trim()) refuse('DispositionRefused', 'a co-signature needs a reason');
        const problem = coSignProblem(line, signer, reason, Date.now());
        if (problem) refuse('SignatureRefused', problem);
      },
    },
  );

  setHandler(
    withdrawNcrDispositionUpdate,
    ({ lineId, by, reason }) => {
      const line = run.line(lineId)!;
      line.status = 'withdrawn';
      line.withdrawn = { by, reason, at: new Date().toISOString() };
      run.note('Withdrawn', `${lineId} withdrawn by ${by}: ${reason}`, by);
      return line;
    },
    {
      validator: ({ lineId, by, reason }) => {
        const line = run.line(lineId);
        if (!line) refuse('UnknownDispositionLine', `NCR ${run.ncrId} has no disposition line ${lineId}`);
        if (line!.status !== 'pending_cosign')
          refuse(
            'DispositionRefused',
            `line ${lineId} is ${line!.status}: only a line awaiting its co-signature can be withdrawn`,
          );
        if (!by?.trim() || !reason?.trim()) refuse('DispositionRefused', 'a withdrawal needs who and why');
      },
    },
  );

  setHandler(
    confirmNcrExecutionUpdate,
    ({ lineId, by, reference, note }) => {
      const line = run.line(lineId)!;
      line.confirmation = { by, reference, note, at: new Date().toISOString() };
      line.status = 'executing';
      run.note('ExecutionConfirmed', `${lineId}: ${line.record.decision} confirmed by ${by} (${reference})`, by);
      return line;
    },
    {
      validator: ({ lineId, by, reference }) => {
        const line = run.line(lineId);
        if (!line) refuse('UnknownDispositionLine', `NCR ${run.ncrId} has no disposition line ${lineId}`);
        if (line!.status !== 'awaiting_confirmation')
          refuse('DispositionRefused', `line ${lineId} is ${line!.status}, it awaits no confirmation`);
        if (!by?.trim() || !reference?.trim())
          refuse('DispositionRefused', 'a confirmation needs who and the document that proves it');
      },
    },
  );

  setHandler(
    recordNcrRootCauseUpdate,
    ({ category, description, by }) => {
      run.state.rootCause = {
        category,
        description: description.trim(),
        recordedBy: by,
        recordedAt: new Date().toISOString(),
      };
      run.state.rootCauseInQms = false;
      run.note('RootCause', `${category}: ${description}`, by);
      return run.state.rootCause;
    },
    {
      validator: ({ category, description, by }) => {
        const closed = closedReason(run);
        if (closed) refuse('NcrClosed', closed);
        if (!ROOT_CAUSE_CATEGORIES.includes(category))
          refuse('InvalidNcrRequest', `root cause category must be one of ${ROOT_CAUSE_CATEGORIES.join(', ')}`);
        if (!description?.trim() || !by?.trim())
          refuse('InvalidNcrRequest', 'a root cause needs a description and who found it');
      },
    },
  );

  setHandler(
    rerunNcrContainmentUpdate,
    ({ by, reason }) => {
      run.state.containmentRequested = true;
      run.note('ContainmentRequested', `containment run requested by ${by}: ${reason}`, by);
      return { runs: run.state.containmentRuns };
    },
    {
      validator: ({ by, reason }) => {
        const closed = closedReason(run);
        if (closed) refuse('NcrClosed', closed);
        if (!by?.trim() || !reason?.trim()) refuse('InvalidNcrRequest', 'a containment run needs who and why');
      },
    },
  );

  setHandler(
    closeNcrUpdate,
    ({ reason, signer }) => {
      signClosure(run, reason, signer);
      return { status: 'closing' };
    },
    {
      validator: (req) => {
        if (run.terminal) refuse('NcrClosed', `NCR ${run.ncrId} is ${run.state.status}`);
        const problem = closeProblem(run, req);
        if (problem) refuse('CloseRefused', problem);
        const signing = signerProblem(req.signer, Date.now());
        if (signing) refuse('SignatureRefused', signing);
      },
    },
  );

  registerParkingHandler(run.parking);
  setHandler(ncrStatusQuery, () => run.view());
}
