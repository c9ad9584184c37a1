import type { Command } from '../command.ts';

export const serveCommand: Command = {
  path: ['serve'],
  summary: 'run the service (what `npm start` runs)',
  usage:
    'mamgate serve\n\nListens on HOST:PORT (default 127.0.0.1:8080), on DATABASE_URL or the embedded database in MAMGATE_DATA_DIR.\n' +
    'Everything it writes is JSON log lines on standard error; the line with "msg":"mamgate listening" carries the url.',
  async run({ env }) {
    const [{ startService }, { lifecycleLogger }] = await Promise.all([import('../../runtime/service.ts'), import('../../observability/logger.ts')]);
    const service = await startService(env);
    // The service's own stream stays JSON lines: the signal is said on it, not as a line of text beside it.
    const lifecycle = lifecycleLogger(service.ctx.log);
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        lifecycle.info({ signal }, 'signal received: stopping');
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        service.stop().then(resolve, resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    return 0;
  },
};
