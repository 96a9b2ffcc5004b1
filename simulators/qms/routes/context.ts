import type { RestApi } from '../../shared/rest-kit/app';
import type { QmsStateHolder } from '../state';

export interface QmsRouteContext {
  holder: QmsStateHolder;
  rest: RestApi;
}
