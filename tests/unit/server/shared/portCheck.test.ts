import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { assertPortFree, StartRefused } from '../../../../server/shared/portCheck';

describe('assertPortFree', () => {
  let busy: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (busy ? busy.close(() => resolve()) : resolve())));

  it('refuses a port another process listens on, in one line naming the port, the host and the variable', async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    const refusal = await assertPortFree(port, '127.0.0.1', 'PORT').catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(StartRefused);
    expect((refusal as Error).message).toBe(`port ${port} is in use on 127.0.0.1: stop the other process or set PORT`);
  });

  it('accepts a free port and leaves it free', async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy!.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    await new Promise<void>((resolve) => busy!.close(() => resolve()));
    busy = undefined;
    await assertPortFree(port, '127.0.0.1', 'PORT');
    await assertPortFree(port, '127.0.0.1', 'PORT');
    await assertPortFree(0, '127.0.0.1', 'PORT');
  });
});
