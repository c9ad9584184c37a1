// Progress on standard error: a redrawn bar on a terminal, a plain line per tenth otherwise (logs, CI).
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export function progressOn(stream: NodeJS.WriteStream, label: string): Progress {
  if (stream.isTTY) {
    return {
      update(done, total) {
        const ratio = total > 0 ? Math.min(1, done / total) : 0;
        const width = 30;
        const filled = Math.round(ratio * width);
        stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${Math.round(ratio * 100)}% ${done}/${total}`);
      },
      finish: () => stream.write('\n'),
    };
  }
  let lastTenth = -1;
  return {
    update(done, total) {
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 0;
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    finish: () => undefined,
  };
}
