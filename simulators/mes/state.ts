import { DEMO_SITE, DEMO_WORK_CENTERS } from '../shared/demo-plant';
import type { Dispatch, Plant } from '../../contracts/mes';

/** Dispatch refusals a test or the demo arranges (PUT /__sim/mes/rejections), keyed by order or material. */
export interface DispatchRejections {
  orders: Record<string, string>;
  materials: Record<string, string>;
}

export interface MesState {
  plants: Record<string, Plant>;
  /** Current dispatch per `${site}|${orderRef}`. */
  dispatches: Record<string, Dispatch>;
  /** Recalled dispatches replaced by a later re-dispatch of the same order. */
  superseded: Dispatch[];
  rejections: DispatchRejections;
  counters: { dispatch: number };
}

export interface MesStateHolder {
  state: MesState;
}

export const dispatchKey = (site: string, orderRef: string): string => `${site}|${orderRef}`;
export const nowIso = (): string => new Date().toISOString();

export function seedMesState(): MesState {
  return {
    plants: {
      [DEMO_SITE]: { site: DEMO_SITE, name: 'Demo pump plant', workCenters: DEMO_WORK_CENTERS.map((w) => ({ ...w })) },
    },
    dispatches: {},
    superseded: [],
    rejections: { orders: {}, materials: {} },
    counters: { dispatch: 0 },
  };
}
