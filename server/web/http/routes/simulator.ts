/** The simulator: GET /api/simulator, POST /api/simulator/start and /api/simulator/stop. */
import { simulatorStartSchema } from '../../../../lib/contract';
import type { ApiContext } from '../apiContext';
import { readBody, served, type Route } from '../router';

export function simulatorRoutes(ctx: Pick<ApiContext, 'simulator'>): Route[] {
  const simulator = () => served(ctx.simulator, 409, 'simulator: this process does not run the simulator role');
  return [
    { method: 'GET', path: '/api/simulator', handle: () => [200, simulator().status()] },
    {
      method: 'POST',
      path: '/api/simulator/start',
      control: true,
      handle: async ({ req }) => {
        // Refused before the body is read when this process runs no simulator.
        const running = simulator();
        return [200, running.start(await readBody(req, simulatorStartSchema, { optional: true }))];
      },
    },
    { method: 'POST', path: '/api/simulator/stop', control: true, handle: () => [200, simulator().stop()] },
  ];
}
