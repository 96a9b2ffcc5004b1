import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const HISTORY_DIR = resolve(__dirname, '../replay/histories');

/**
 * Writes a finished run's history for the replay tests when RECORD_HISTORIES=1. Histories are recorded
 * from real dev-server runs, committed, and replayed in CI so a non-deterministic change fails there.
 */
export async function recordHistoryIfAsked(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  mkdirSync(HISTORY_DIR, { recursive: true });
  writeFileSync(resolve(HISTORY_DIR, `${name}.json`), historyToJSON(history));
}
