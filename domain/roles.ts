import { z } from 'zod';

/** Who may do what through the API and the CLI: an API key maps to roles, a signer holds roles. */
const ROLES = ['planner', 'mes', 'qms', 'qa', 'qp', 'operator', 'viewer'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
export const ALL_ROLES: readonly Role[] = ROLES;
