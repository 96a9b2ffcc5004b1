import { ApplicationFailure } from '@temporalio/common';
import { postingsOfBatch } from '../../../domain/batched-postings';
import type {
  MesActivities,
  OdooActivities,
  PlantflowActivities,
  QmsActivities,
  SapActivities,
} from '../../../workflows/shared/activities';

/** Every activity a workflow can call, with the real activities' own types. */
type Activities = OdooActivities & SapActivities & QmsActivities & MesActivities & PlantflowActivities;
export type ActivityName = keyof Activities;
export type ActivityInput<K extends ActivityName> = Parameters<Activities[K]>[0];
export type ActivityOutput<K extends ActivityName> = Awaited<ReturnType<Activities[K]>>;

/** A fake answers as the real activity would: its input and answer are the activity's own types. */
export type Fake<K extends ActivityName> = (
  input: ActivityInput<K>,
  attempt: number,
) => ActivityOutput<K> | Promise<ActivityOutput<K>>;
export type Fakes = { [K in ActivityName]?: Fake<K> };

export interface ActivityCall<K extends ActivityName = ActivityName> {
  name: K;
  input: ActivityInput<K>;
}

/**
 * Recording fakes for the activities the workflows call, for time-skipping tests. Each records its
 * calls; `when(name, fake)` changes one's behaviour (throw a failure, answer otherwise). Typed with the
 * real activities, so a fake that drifts from what an activity takes or answers does not compile.
 */
export class FakeSystems {
  readonly calls: ActivityCall[] = [];
  private readonly behaviours: Fakes = {};
  private readonly attempts = new Map<string, number>();

  constructor(private readonly defaults: Fakes) {}

  when<K extends ActivityName>(name: K, fake: Fake<K>): this {
    (this.behaviours as Record<K, Fake<K>>)[name] = fake;
    return this;
  }

  reset(name: ActivityName): this {
    delete this.behaviours[name];
    return this;
  }

  called<K extends ActivityName>(name: K): Array<ActivityCall<K>> {
    return this.calls.filter((c): c is ActivityCall<K> => c.name === name);
  }

  names(prefix = ''): string[] {
    return this.calls.map((c) => c.name).filter((n) => n.startsWith(prefix));
  }

  /**
   * Activities for one worker: every faked name with the given prefix, and the batch verbs of the faked
   * postings (each posting of a batch is performed, and recorded, as its own verb's call, in order).
   */
  activities(prefix: string): Record<string, (input: unknown) => Promise<unknown>> {
    const names = (Object.keys(this.defaults) as ActivityName[]).filter((n) => n.startsWith(prefix));
    const batches: Record<string, (input: unknown) => Promise<unknown>> = {};
    if (names.includes('sapPostConfirmation') && names.includes('sapPostGoodsMovement'))
      batches.sapPostBatch = (input) => this.performBatch('sapPostBatch', input);
    if (names.includes('odooRecordConsumption'))
      batches.odooRecordConsumptions = (input) => this.performBatch('odooRecordConsumptions', input);
    return {
      ...batches,
      ...Object.fromEntries(names.map((name) => [name, (input: unknown) => this.perform(name, input)])),
    };
  }

  private async performBatch(name: 'sapPostBatch' | 'odooRecordConsumptions', input: unknown): Promise<unknown> {
    if (this.behaviours[name]) return this.perform(name, input);
    this.calls.push({ name, input } as ActivityCall);
    const results: unknown[] = [];
    for (const posting of postingsOfBatch(name, input) ?? [])
      results.push(await this.perform(posting.verb as ActivityName, posting.input));
    return { results };
  }

  private async perform(name: ActivityName, input: unknown): Promise<unknown> {
    const key = `${name}:${JSON.stringify(input)}`;
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, attempt);
    this.calls.push({ name, input } as ActivityCall);
    const fake = (this.behaviours[name] ?? this.defaults[name]) as (i: unknown, a: number) => unknown;
    return fake(input, attempt);
  }
}

export const businessRule = (message: string, system = 'sap') =>
  ApplicationFailure.create({ type: 'BusinessRule', message, nonRetryable: true, details: [{ system }] });
export const transient = (message: string, system = 'sap') =>
  ApplicationFailure.create({ type: 'Transient', message, details: [{ system }] });
