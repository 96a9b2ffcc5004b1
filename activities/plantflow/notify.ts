import axios from 'axios';
import type { Logger } from 'pino';
import { transientFailure } from '../shared/failures';

export interface NotifyInput {
  kind: 'escalation' | 'information';
  subject: string;
  message: string;
  workflowId: string;
}

/** Escalations reach people: always the log, and the webhook (Teams/Slack/pager bridge) when configured. */
export async function notify(
  deps: { logger: Logger; webhookUrl?: string },
  input: NotifyInput,
): Promise<{ delivered: 'log' | 'webhook' }> {
  deps.logger.warn({ notification: input }, `${input.kind}: ${input.subject}`);
  if (!deps.webhookUrl) return { delivered: 'log' };
  let status: number;
  try {
    status = (await axios.post(deps.webhookUrl, input, { timeout: 10_000, validateStatus: () => true })).status;
  } catch (err) {
    throw transientFailure(`notification webhook unreachable: ${(err as Error).message}`, { system: 'plantflow' });
  }
  if (status >= 300) throw transientFailure(`notification webhook answered ${status}`, { system: 'plantflow', status });
  return { delivered: 'webhook' };
}
