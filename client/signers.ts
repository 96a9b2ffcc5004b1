import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { signerWorkflowId } from '../domain/ids';
import { emptySignerRecord, signerView, type SignerView, type SigningPolicy } from '../domain/signer-lockout';
import {
  signerQuery,
  signingFailedUpdate,
  signingSucceededSignal,
  SIGNER_WORKFLOW_TYPE,
  type SigningFailureResult,
} from '../workflows/messages/signer';
import type { signerSecurity as SignerWorkflow } from '../workflows/signer';
import { TaskQueue } from '../workflows/task-queues';

const SIGNER_CALL_TIMEOUT_MS = 5_000;

/** A signer's security record in Temporal (workflows/signer.ts): one count for every API process. */
export class SignerClient {
  constructor(
    private readonly client: Client,
    private readonly policy: SigningPolicy,
  ) {}

  /** Counts a failed re-authentication; the first one opens the signer's record. */
  failed(userId: string, via?: string): Promise<SigningFailureResult> {
    return this.bounded(() =>
      this.client.workflow.executeUpdateWithStart(signingFailedUpdate, {
        args: [{ via }],
        startWorkflowOperation: new WithStartWorkflowOperation<typeof SignerWorkflow>(SIGNER_WORKFLOW_TYPE, {
          workflowId: signerWorkflowId(userId),
          taskQueue: TaskQueue.workflows,
          args: [{ userId, policy: this.policy }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `Re-authentication failures of signer ${userId}`,
        }),
      }),
    );
  }

  /** Signing waits on these calls: never longer than SIGNER_CALL_TIMEOUT_MS. */
  private bounded<T>(call: () => Promise<T>): Promise<T> {
    return this.client.withDeadline(Date.now() + SIGNER_CALL_TIMEOUT_MS, call);
  }

  /** Starts the count again after a successful re-authentication (nothing to do without a record). */
  async succeeded(userId: string): Promise<void> {
    try {
      await this.bounded(() => this.client.workflow.getHandle(signerWorkflowId(userId)).signal(signingSucceededSignal));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }

  /** The signer's lockout state; a signer without a running record has none. */
  async view(userId: string): Promise<SignerView> {
    const handle = this.client.workflow.getHandle(signerWorkflowId(userId));
    try {
      const running = (await this.bounded(() => handle.describe())).status.name === 'RUNNING';
      if (running) return await this.bounded(() => handle.query(signerQuery));
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
    return signerView(emptySignerRecord(userId), this.policy, Date.now());
  }
}
