// A signer's security record: failed re-authentications in the window and the lockout they lead to. It
// lives in Temporal so that every API process sees the same count and a restart forgets nothing; the run
// ends once nothing counts any more (no lockout, no failure in the window), so its history stays short.
import { allHandlersFinished, condition, setHandler } from '@temporalio/workflow';
import {
  emptySignerRecord,
  quietIn,
  recordFailure,
  recordSuccess,
  signerView,
  type SignerRecord,
} from '../domain/signer-lockout';
import { signerQuery, signingFailedUpdate, signingSucceededSignal, type SignerWorkflowInput } from './messages/signer';

export async function signerSecurity(input: SignerWorkflowInput): Promise<void> {
  let record: SignerRecord = emptySignerRecord(input.userId);
  let changes = 0;

  setHandler(signingFailedUpdate, ({ via }) => {
    const result = recordFailure(record, input.policy, Date.now(), via);
    record = result.record;
    changes++;
    return { view: signerView(record, input.policy, Date.now()), lockedNow: result.lockedNow };
  });
  setHandler(signingSucceededSignal, () => {
    record = recordSuccess(record, Date.now());
    changes++;
  });
  setHandler(signerQuery, () => signerView(record, input.policy, Date.now()));

  for (;;) {
    const seen = changes;
    const wait = quietIn(record, input.policy, Date.now());
    if (wait > 0) {
      await condition(() => changes !== seen, wait);
      continue;
    }
    await condition(allHandlersFinished);
    if (changes === seen) return;
  }
}
