import {
  DEFAULT_EXCEPTION_ACTIONS,
  exceptionIdOf,
  type BusinessException,
  type ExceptionDecision,
  type ExceptionKind,
  type ExceptionReport,
  type ExceptionSubject,
} from './exceptions';

// The site's exception record as pure rules: the workflow (workflows/exceptions.ts) only holds the map.

/** A report joins the exception of the same situation (seen again), or opens a new one. */
export function recordReport(kept: BusinessException | undefined, report: ExceptionReport): BusinessException {
  if (kept) {
    // A situation seen again after it was resolved opens again: whatever resolved it did not hold.
    const reopened = kept.status === 'resolved';
    const newer = report.at >= kept.lastSeenAt;
    return {
      ...kept,
      ...(newer
        ? {
            summary: report.summary,
            reason: report.reason,
            arrived: report.arrived ?? kept.arrived,
            expected: report.expected ?? kept.expected,
            actual: report.actual ?? kept.actual,
            lastSeenAt: report.at,
          }
        : {}),
      firstSeenAt: report.at < kept.firstSeenAt ? report.at : kept.firstSeenAt,
      occurrences: kept.occurrences + 1,
      status: 'open',
      ...(reopened ? { resolution: undefined } : {}),
    };
  }
  return {
    exceptionId: exceptionIdOf(report),
    kind: report.kind,
    site: report.site,
    subject: report.subject,
    summary: report.summary,
    reason: report.reason,
    ...(report.arrived !== undefined ? { arrived: report.arrived } : {}),
    ...(report.expected !== undefined ? { expected: report.expected } : {}),
    ...(report.actual !== undefined ? { actual: report.actual } : {}),
    firstSeenAt: report.at,
    lastSeenAt: report.at,
    occurrences: 1,
    status: 'open',
    actions: report.actions ?? DEFAULT_EXCEPTION_ACTIONS,
  };
}

/** Why a decision cannot be taken, or undefined when it can. */
export function decisionRefusal(kept: BusinessException | undefined, decision: ExceptionDecision): string | undefined {
  if (!kept) return `no exception ${decision.exceptionId} in this record`;
  if (kept.status === 'resolved')
    return `exception ${kept.exceptionId} was already resolved (${kept.resolution?.action} by ${kept.resolution?.by})`;
  if (!kept.actions.includes(decision.action))
    return `a ${kept.kind} exception offers ${kept.actions.join(', ')}, not ${decision.action}`;
  return undefined;
}

/** The operator's decision closes the exception; the decision stays with it. */
export function applyDecision(kept: BusinessException, decision: ExceptionDecision, at: string): BusinessException {
  return {
    ...kept,
    status: 'resolved',
    resolution: { action: decision.action, by: decision.by, reason: decision.reason, at },
  };
}

export interface ExceptionSelection {
  status?: 'open' | 'resolved';
  kind?: ExceptionKind;
  subject?: Partial<ExceptionSubject>;
  limit?: number;
}

const DEFAULT_LIMIT = 200;

/** Newest first, filtered on status, kind and every subject field given. */
export function selectExceptions(
  all: Iterable<BusinessException>,
  filter: ExceptionSelection = {},
): BusinessException[] {
  const subject = Object.entries(filter.subject ?? {}).filter(([, v]) => v !== undefined);
  return [...all]
    .filter((e) => (filter.status ? e.status === filter.status : true))
    .filter((e) => (filter.kind ? e.kind === filter.kind : true))
    .filter((e) => subject.every(([k, v]) => e.subject[k as keyof ExceptionSubject] === v))
    .sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt) || a.exceptionId.localeCompare(b.exceptionId))
    .slice(0, filter.limit ?? DEFAULT_LIMIT);
}

export type ExceptionCounts = Partial<Record<ExceptionKind, { open: number; total: number }>>;

export function countExceptions(all: Iterable<BusinessException>): ExceptionCounts {
  const counts: ExceptionCounts = {};
  for (const e of all) {
    const c = (counts[e.kind] ??= { open: 0, total: 0 });
    c.total += 1;
    if (e.status === 'open') c.open += 1;
  }
  return counts;
}

/**
 * What a record carries into its next run: every open exception, and the newest resolved ones up to
 * `keepResolved` (older resolutions stay in the closed runs' histories).
 */
export function carriedExceptions(all: Iterable<BusinessException>, keepResolved: number): BusinessException[] {
  const list = [...all];
  const resolved = list
    .filter((e) => e.status === 'resolved')
    .sort((a, b) => (b.resolution?.at ?? '').localeCompare(a.resolution?.at ?? ''))
    .slice(0, keepResolved);
  return [...list.filter((e) => e.status === 'open'), ...resolved];
}
