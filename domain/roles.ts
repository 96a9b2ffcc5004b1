import { z } from 'zod';

/**
 * Who may do what through the API and the CLI: an API key maps to roles, a signer holds roles.
 * `edge`: a plant edge reporting its own state (it forwards MES events with the `mes` role besides).
 */
const ROLES = ['planner', 'mes', 'qms', 'qa', 'qp', 'operator', 'viewer', 'edge'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;
export const ALL_ROLES: readonly Role[] = ROLES;
