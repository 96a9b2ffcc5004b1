// A site's business-exception record: everything plantflow could not apply or found out of step, until an
// operator acts on it. One run per site (id exceptions:<site>), opened by the first report.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import {
  applyDecision,
  carriedExceptions,
  countExceptions,
  decisionRefusal,
  recordReport,
  selectExceptions,
} from '../domain/exception-record';
import {
  exceptionDecisionSchema,
  exceptionIdOf,
  exceptionReportSchema,
  type BusinessException,
} from '../domain/exceptions';
import {
  decideExceptionUpdate,
  exceptionReportedSignal,
  exceptionsQuery,
  type ExceptionsWorkflowInput,
} from './messages/exceptions';
import { NeedsAttentionAttr, SiteAttr } from './search-attributes';
import { refuseRequest } from './shared/failures';
import { startDriftRepair } from './reconciliation/reapply';

/** Reports and decisions per run: a busy site's history stays far below the server's limits. */
const MESSAGES_PER_RUN = 2_000;
/** Resolved exceptions a run hands over; older resolutions stay readable in the closed runs' histories. */
const KEEP_RESOLVED = 500;

/** Workflow type EXCEPTIONS_WORKFLOW_TYPE. NeedsAttention = true while any exception is open. */
export async function businessExceptions(input: ExceptionsWorkflowInput): Promise<void> {
  const kept = new Map<string, BusinessException>((input.carried?.exceptions ?? []).map((e) => [e.exceptionId, e]));
  let messages = 0;
  let shownOpen = -1;

  const show = () => {
    const counts = countExceptions(kept.values());
    const open = Object.values(counts).reduce((n, c) => n + c.open, 0);
    upsertMemo({ exceptions: { open, total: kept.size, byKind: counts } });
    if (open > 0 !== shownOpen > 0 || shownOpen < 0)
      upsertSearchAttributes([
        { key: SiteAttr, value: input.site },
        { key: NeedsAttentionAttr, value: open > 0 },
      ]);
    shownOpen = open;
  };
  show();

  setHandler(exceptionReportedSignal, (raw) => {
    messages += 1;
    // A signal cannot be refused: a malformed report is kept as what it is rather than lost.
    const parsed = exceptionReportSchema.safeParse(raw);
    const report = parsed.success
      ? parsed.data
      : {
          kind: 'UnreadableReport' as const,
          key: `unreadable-report:${messages}`,
          site: input.site,
          subject: { system: 'plantflow' as const },
          summary: 'a business exception report that plantflow could not read',
          reason: { code: 'MalformedReport', message: parsed.error.issues.map((i) => i.message).join('; ') },
          arrived: raw,
          at: new Date().toISOString(),
        };
    const id = exceptionIdOf(report);
    kept.set(id, recordReport(kept.get(id), report));
    show();
  });

  setHandler(
    decideExceptionUpdate,
    async (decision) => {
      messages += 1;
      const decided = applyDecision(kept.get(decision.exceptionId)!, decision, new Date().toISOString());
      kept.set(decided.exceptionId, decided);
      show();
      if (decision.action === 'reapply') await startDriftRepair(input.site, decided, decision);
      return decided;
    },
    {
      validator: (raw) => {
        const parsed = exceptionDecisionSchema.safeParse(raw);
        if (!parsed.success)
          refuseRequest(
            'InvalidDecision',
            parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          );
        const refusal = decisionRefusal(kept.get(parsed.data.exceptionId), parsed.data);
        if (refusal) refuseRequest(kept.has(parsed.data.exceptionId) ? 'DecisionRefused' : 'UnknownException', refusal);
      },
    },
  );

  setHandler(exceptionsQuery, (filter) => ({
    site: input.site,
    exceptions: selectExceptions(kept.values(), filter),
    counts: countExceptions(kept.values()),
  }));

  await condition(() => messages >= (input.messagesPerRun ?? MESSAGES_PER_RUN));
  await condition(allHandlersFinished);
  await continueAsNew<typeof businessExceptions>({
    ...input,
    carried: { exceptions: carriedExceptions(kept.values(), KEEP_RESOLVED), runs: (input.carried?.runs ?? 0) + 1 },
  });
}
