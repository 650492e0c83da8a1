/**
 * Whether the ports this process will listen on are free, checked before the slow part of the
 * start (Kafka, Next.js), so a busy port is one line at once rather than a stack trace later.
 */
import { createServer } from 'node:net';

/** A reason not to start that is said in one line, without a stack. */
export class StartRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartRefused';
  }
}

export function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  // 0: the system picks a free port.
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new StartRefused(`port ${port} is in use on ${host}: stop the other process or set ${variable}`));
      else if (error.code === 'EACCES')
        reject(new StartRefused(`port ${port} on ${host} needs privileges this process lacks: set ${variable}`));
      else if (error.code === 'EADDRNOTAVAIL')
        reject(new StartRefused(`${host} is not an address of this machine: check HOST`));
      else reject(error);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
