/**
 * The bench's baseline activity: registered on every worker beside the real ones, so the baseline runs on
 * the very task queues, workers and processes plantflow's postings use, and costs the engine's share only.
 */
export const benchActivities = {
  async benchNoop(): Promise<void> {},
};
