import { postingsOfBatch } from '../../domain/batched-postings';

/** What a call read from a history has (history.ts's ActivityCall). */
interface Call {
  activity: string;
  input: unknown;
  result?: unknown;
}

/**
 * A batch call (several postings of one order in one activity) read back as one call per posting, with that
 * posting's input and answer, so the record lists each posting and its ERP document as if it went alone.
 */
export function onePerPosting<C extends Call>(call: C): C[] {
  const postings = postingsOfBatch(call.activity, call.input);
  if (!postings) return [call];
  const results = (call.result as { results?: unknown[] } | undefined)?.results ?? [];
  return postings.map((p, i) => ({ ...call, activity: p.verb, input: p.input, result: results[i] }));
}
