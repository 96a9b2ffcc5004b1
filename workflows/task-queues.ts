// One task queue per external system, so a slow SAP never starves Odoo (docs/architecture.md §3).
export const TaskQueue = {
  workflows: 'plantflow',
  odoo: 'plantflow-odoo',
  sap: 'plantflow-sap',
  qms: 'plantflow-qms',
} as const;

/** MES dispatch runs on a worker at the plant that only polls outward. */
export function plantTaskQueue(site: string): string {
  return `plantflow-plant-${site}`;
}
