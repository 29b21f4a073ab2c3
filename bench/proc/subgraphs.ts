import { generateData } from '../classic/data';
import { startClassicSubgraphs } from '../classic/subgraphs';
import { childArgs, reportFailure, reportReady, serveIpc } from '../lib/ipc';

/** Child process: the four classic subgraphs over the same generated data as the parent's expectation. */
async function main(): Promise<void> {
  const { dataOptions, cache } = childArgs<{ dataOptions: Parameters<typeof generateData>[0]; cache: boolean }>();
  const subgraphs = await startClassicSubgraphs(generateData(dataOptions), { cache });
  serveIpc({
    record: (on: boolean) => subgraphs.record(on),
    memory: () => process.memoryUsage(),
    stop: async () => {
      await subgraphs.stop();
      setImmediate(() => process.exit(0));
    },
  });
  reportReady({ urls: subgraphs.urls });
}

main().catch(reportFailure);
