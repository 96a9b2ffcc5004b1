import type { ExceptionKind } from '../domain/exceptions';
import type { ExceptionFilter, ExceptionList } from '../workflows/messages/exceptions';
import type { ExceptionsClient } from './exceptions';

export interface SitesExceptionList {
  sites: string[];
  exceptions: ExceptionList['exceptions'];
  counts: ExceptionList['counts'];
}

/** Several sites' records as one list: newest first (last seen), counts per kind summed over the sites. */
export async function listExceptionsOfSites(
  exceptions: Pick<ExceptionsClient, 'list'>,
  sites: string[],
  filter: ExceptionFilter,
): Promise<SitesExceptionList> {
  const lists = await Promise.all(sites.map((site) => exceptions.list(site, filter)));
  const counts: ExceptionList['counts'] = {};
  for (const list of lists) {
    for (const [kind, c] of Object.entries(list.counts) as Array<[ExceptionKind, { open: number; total: number }]>) {
      const sum = counts[kind] ?? { open: 0, total: 0 };
      counts[kind] = { open: sum.open + c.open, total: sum.total + c.total };
    }
  }
  const all = lists
    .flatMap((l) => l.exceptions)
    .sort((a, b) => (a.lastSeenAt < b.lastSeenAt ? 1 : a.lastSeenAt > b.lastSeenAt ? -1 : 0))
    .slice(0, filter.limit ?? 100);
  return { sites, exceptions: all, counts };
}
