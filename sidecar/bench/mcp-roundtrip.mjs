// Latency the MCP gateway adds to a tools/call round trip: the same request, sequentially over
// one keep-alive connection per target, sent alternately straight to the upstream and through
// the sidecar's /mcp/<server>. No dependencies (node:http only). Usage:
//   node mcp-roundtrip.mjs DIRECT_URL GATEWAY_URL [ROUNDS] [WARMUP]
import http from 'node:http';

const [direct, gateway, roundsText = '5000', warmupText = '2000'] = process.argv.slice(2);
const rounds = Number(roundsText);
const warmup = Number(warmupText);
const agents = new Map();

function post(url, body) {
  const target = new URL(url);
  if (!agents.has(target.host)) agents.set(target.host, new http.Agent({ keepAlive: true, maxSockets: 1 }));
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.request(target, {
      method: 'POST', agent: agents.get(target.host),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': '2025-06-18', 'Authorization': 'Bearer bench-upstream-token' },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ micros: Number(process.hrtime.bigint() - started) / 1000,
        status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const call = (id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call',
  params: { name: 'read_file', arguments: { path: `/workspace/file-${id % 50}.txt` } } });

// The gateway learns read_file's readOnlyHint (the policy allows by it) from a listing.
for (let cursor; ;) {
  const page = await post(gateway, JSON.stringify({ jsonrpc: '2.0', id: 'l', method: 'tools/list', params: cursor ? { cursor } : {} }));
  cursor = JSON.parse(page.body).result?.nextCursor;
  if (!cursor) break;
}
const check = await post(gateway, call(1));
if (!check.body.includes('contents of')) {
  console.error('the gateway did not allow the benchmark call: ' + check.body);
  process.exit(1);
}
const times = { direct: [], gateway: [] };
let id = 10;
for (let i = 0; i < warmup + rounds; i++) {
  const order = i % 2 === 0 ? ['direct', 'gateway'] : ['gateway', 'direct'];
  for (const which of order) {
    const answer = await post(which === 'direct' ? direct : gateway, call(id++));
    if (answer.status !== 200 || !answer.body.includes('contents of')) {
      console.error(`${which} failed: ${answer.status} ${answer.body}`);
      process.exit(1);
    }
    if (i >= warmup) times[which].push(answer.micros);
  }
}
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p / 100 * sorted.length))];
};
const row = (name, values) => `${name.padEnd(8)} p50 ${(pct(values, 50) / 1000).toFixed(3)} ms  p90 ${(pct(values, 90) / 1000).toFixed(3)} ms  p99 ${(pct(values, 99) / 1000).toFixed(3)} ms`;
console.log(`tools/call round trips: ${rounds} each (after ${warmup} warm-up), alternating, one keep-alive connection each`);
console.log(row('direct', times.direct));
console.log(row('gateway', times.gateway));
const paired = times.gateway.map((g, i) => g - times.direct[i]);
console.log(`added by the gateway: p50 ${((pct(times.gateway, 50) - pct(times.direct, 50)) / 1000).toFixed(3)} ms (difference of p50s); ` +
  `median of paired differences ${(pct(paired, 50) / 1000).toFixed(3)} ms`);
process.exit(0);
