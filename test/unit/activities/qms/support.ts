import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import type { FailureType } from '../../../../domain/failures';

/** Awaits a promise that must fail with a typed ApplicationFailure (shared by the QMS and MES tests). */
export async function failureOf(promise: Promise<unknown>, type: FailureType): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
    assert.equal(err.type, type, `failure type (message: ${err.message})`);
    return err;
  }
  assert.fail(`expected a ${type} failure, but the call succeeded`);
}

export const quantity = (value: string, uom = 'EA') => ({ value, uom });
