import type { Command } from '../command.ts';

export const serveCommand: Command = {
  path: ['serve'],
  summary: 'run the service (what `npm start` runs)',
  usage: 'mamgate serve\n\nListens on HOST:PORT (default 127.0.0.1:8080), on DATABASE_URL or the embedded database in MAMGATE_DATA_DIR.',
  async run({ env, output }) {
    const [{ startService }, { describeTarget }] = await Promise.all([import('../../runtime/service.ts'), import('../../db/connect.ts')]);
    const service = await startService(env);
    output.err(`mamgate listening on ${service.url} (${describeTarget({ databaseUrl: env.databaseUrl, dataDir: env.dataDir })})`);
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        output.err(`${signal} received: stopping`);
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
