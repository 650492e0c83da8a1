/** The simulator's controls (POST /api/simulator/start) and status (GET /api/simulator). */
import { z } from 'zod';
import { SIMULATED_VALUES, type SimulatedValues } from '../simulation';

const MAX_SENSORS = 100_000;
const MAX_RATE_PER_SENSOR = 1_000;

/** POST /api/simulator/start body (all optional). */
export const simulatorStartSchema = z.strictObject({
  sensors: z
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_SENSORS, `must be at most ${MAX_SENSORS}`)
    .optional(),
  ratePerSensor: z
    .number({ error: 'must be a number' })
    .refine((v) => v > 0, 'must be greater than 0')
    .refine((v) => v <= MAX_RATE_PER_SENSOR, `must be at most ${MAX_RATE_PER_SENSOR}`)
    .optional(),
  jitterSeconds: z
    .number({ error: 'must be a number' })
    .min(0, 'must be 0 or more')
    .max(60, 'must be at most 60')
    .optional(),
  lateShare: z
    .number({ error: 'must be a number' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .optional(),
  seed: z.number({ error: 'must be a number' }).int('must be an integer').optional(),
  /** Poisson counts (the seed's flow) or temperature-like decimals. */
  values: z.enum(SIMULATED_VALUES, { error: `must be one of ${SIMULATED_VALUES.join(', ')}` }).optional(),
  /** Key each record by its sensor id; off by default, as most producers send no key. */
  keyed: z.boolean({ error: 'must be true or false' }).optional(),
});
export type SimulatorStart = z.infer<typeof simulatorStartSchema>;

/** GET /api/simulator and the socket.io `simulator` event. */
export interface SimulatorStatus {
  running: boolean;
  sensors: number;
  ratePerSensor: number;
  jitterSeconds: number;
  lateShare: number;
  seed: number;
  values: SimulatedValues;
  keyed: boolean;
  sent: number;
  startedAt: number | null;
}
