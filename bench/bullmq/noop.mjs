// BullMQ's side of bench/queue: N no-op jobs through one Worker at the given
// concurrency, on the Redis ordertrack's worker uses, timed from the worker's
// start to the last completion (the jobs are queued first, as in ordertrack's
// bench). Prints one JSON line; exits non-zero when any job failed.
//
//   node noop.mjs --jobs 10000 --concurrency 16 [--redis redis://127.0.0.1:6379]
import { Queue, Worker } from 'bullmq';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const jobs = Number(args.jobs ?? 10000);
const concurrency = Number(args.concurrency ?? 16);
const url = new URL(args.redis ?? 'redis://127.0.0.1:6379');
const connection = { host: url.hostname, port: Number(url.port || 6379) };
const name = `bench-bullmq-${process.pid}`;

const queue = new Queue(name, { connection });
await queue.obliterate({ force: true });
for (let i = 0; i < jobs; i += 1000) {
  const chunk = Array.from({ length: Math.min(1000, jobs - i) }, (_, k) => ({ name: 'ping', data: { sent_at_ms: i + k } }));
  await queue.addBulk(chunk);
}

let completed = 0;
let failed = 0;
let settle;
const done = new Promise((resolve) => { settle = () => completed + failed === jobs && resolve(); });
const worker = new Worker(name, async () => {}, { connection, concurrency, autorun: false });
worker.on('completed', () => { completed += 1; settle(); });
worker.on('failed', () => { failed += 1; settle(); });
const started = performance.now();
worker.run();
await done;
const seconds = (performance.now() - started) / 1000;
await worker.close();
await queue.obliterate({ force: true });
await queue.close();
console.log(JSON.stringify({ jobs, concurrency, completed, failed, seconds, rate: completed / seconds }));
process.exit(failed === 0 ? 0 : 1);
