/** One write the simulator received and applied (or refused), for tests to assert exact posting counts. */
export interface JournalEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  /** Business name of the write, e.g. `mrp.production.action_confirm` or `ProdnOrdConf2.create`. */
  operation: string;
  /** Key business identifiers of what was written (order, lot, confirmation…). */
  refs: Record<string, string>;
  body: unknown;
  /** HTTP status the simulator answered with. */
  status: number;
  /** false when the write was refused and changed nothing. */
  applied: boolean;
}

export class WriteJournal {
  private entries: JournalEntry[] = [];
  private seq = 0;

  record(entry: Omit<JournalEntry, 'seq' | 'at'>): JournalEntry {
    const full = { ...entry, seq: ++this.seq, at: new Date().toISOString() };
    this.entries.push(full);
    return full;
  }

  /** Entries matching the filter; `after` a sequence number tails the journal (entries are in seq order). */
  list(filter: { operation?: string; applied?: boolean; after?: number } = {}): JournalEntry[] {
    const from = filter.after === undefined ? 0 : this.firstAfter(filter.after);
    const out: JournalEntry[] = [];
    for (let i = from; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      if (
        (filter.operation === undefined || e.operation === filter.operation) &&
        (filter.applied === undefined || e.applied === filter.applied)
      )
        out.push(e);
    }
    return out;
  }

  /** Index of the first entry with seq > `seq` (binary search: a bench tails a long journal). */
  private firstAfter(seq: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  clear(): void {
    this.entries = [];
    this.seq = 0;
  }

  snapshot(): { entries: JournalEntry[]; seq: number } {
    return { entries: this.entries, seq: this.seq };
  }

  restore(data: { entries: JournalEntry[]; seq: number }): void {
    this.entries = data.entries;
    this.seq = data.seq;
  }
}
