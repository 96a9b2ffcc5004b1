import { ApplicationFailure } from '@temporalio/common';

export interface ActivityCall {
  name: string;
  input: Record<string, unknown>;
}

type Behaviour = (input: Record<string, unknown>, attempt: number) => unknown;

/**
 * Recording fakes for every activity the workflows call, for time-skipping tests. Each records its
 * calls; `when(name, fn)` changes one's behaviour (throw a failure, return another answer).
 */
export class MockSystems {
  readonly calls: ActivityCall[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly attempts = new Map<string, number>();

  constructor(private readonly defaults: Record<string, Behaviour>) {}

  when(name: string, behaviour: Behaviour): this {
    this.behaviours.set(name, behaviour);
    return this;
  }

  reset(name: string): this {
    this.behaviours.delete(name);
    return this;
  }

  called(name: string): ActivityCall[] {
    return this.calls.filter((c) => c.name === name);
  }

  names(prefix = ''): string[] {
    return this.calls.map((c) => c.name).filter((n) => n.startsWith(prefix));
  }

  /** Activities for one worker: every name with the given prefix. */
  activities(prefix: string): Record<string, (input: Record<string, unknown>) => Promise<unknown>> {
    const names = Object.keys(this.defaults).filter((n) => n.startsWith(prefix));
    return Object.fromEntries(
      names.map((name) => [
        name,
        async (input: Record<string, unknown>) => {
          const key = `${name}:${JSON.stringify(input)}`;
          const attempt = (this.attempts.get(key) ?? 0) + 1;
          this.attempts.set(key, attempt);
          this.calls.push({ name, input });
          const behaviour = this.behaviours.get(name) ?? this.defaults[name]!;
          return behaviour(input, attempt);
        },
      ]),
    );
  }
}

export const businessRule = (message: string, system = 'sap') =>
  ApplicationFailure.create({ type: 'BusinessRule', message, nonRetryable: true, details: [{ system }] });
export const transient = (message: string, system = 'sap') =>
  ApplicationFailure.create({ type: 'Transient', message, details: [{ system }] });
