import type { SimulatorServer } from '../../shared/server';
import type { RestApi } from '../../shared/rest-kit/app';
import type { MesStateHolder } from '../state';

export interface MesRouteContext {
  holder: MesStateHolder;
  rest: RestApi;
  server: SimulatorServer;
}
