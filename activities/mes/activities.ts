import { RestJsonClient, type RestClientDeps } from '../shared/rest-client';
import { dispatchOrder, getDispatch, holdOrder, recallDispatch, resumeOrder } from './dispatches';
import type {
  Dispatch,
  MesDispatchOrderInput,
  MesDispatchOrderResult,
  MesHoldOrderInput,
  MesHoldOrderResult,
  MesRecallDispatchInput,
  MesRecallDispatchResult,
  MesResumeOrderInput,
  MesResumeOrderResult,
} from './types';

export type * from './types';

/** Shape of PlantflowConfig['mes'] that the adapter needs. */
export type MesActivityDeps = RestClientDeps;

/** The MES activities (run by the plant worker, task queue plantflow-plant-<site>). */
export function createMesActivities(deps: MesActivityDeps) {
  const client = new RestJsonClient('mes', deps);
  return {
    mesDispatchOrder: (input: MesDispatchOrderInput): Promise<MesDispatchOrderResult> => dispatchOrder(client, input),
    mesRecallDispatch: (input: MesRecallDispatchInput): Promise<MesRecallDispatchResult> =>
      recallDispatch(client, input),
    mesHoldOrder: (input: MesHoldOrderInput): Promise<MesHoldOrderResult> => holdOrder(client, input),
    mesResumeOrder: (input: MesResumeOrderInput): Promise<MesResumeOrderResult> => resumeOrder(client, input),
    mesGetDispatch: (input: { site: string; orderRef: string }): Promise<Dispatch | null> => getDispatch(client, input),
  };
}

export type MesActivities = ReturnType<typeof createMesActivities>;
