// The bench workers' workflow bundle: plantflow's workflows as production bundles them, plus the baseline.
export * from '../../workflows';
export { engineBaseline } from './baseline';
