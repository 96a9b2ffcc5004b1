// Reconciliation between plantflow and the systems: the scheduled run per site and the repair of one drift.
// The schedule sets the run's Site search attribute, so the Web UI lists a site's runs.
export { reconcileSiteRun as reconcileSite } from './reconciliation/run';
export { driftRepair } from './reconciliation/repair';
