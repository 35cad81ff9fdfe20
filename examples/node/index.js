// A small Lambda-style Node function doing what FunctionShield's four
// policies are about. Under fnguard's default policy each attempt fails and
// is reported; the handler keeps running.
'use strict';
const fs = require('fs');
const net = require('net');
const cp = require('child_process');

function attempt(results, what, fn) {
  try { fn(); results[what] = 'done'; } catch (e) { results[what] = `refused (${e.code})`; }
}

exports.handler = async () => {
  const results = {};
  attempt(results, 'write /tmp', () => fs.writeFileSync('/tmp/fnguard-demo-cache.txt', 'cached'));
  attempt(results, 'run id', () => cp.execFileSync('/usr/bin/id'));
  results['connect 192.0.2.10:443'] = process.env.FNGUARD_DEMO_NO_NET ? 'skipped (no network namespace)' : await new Promise((resolve) => {
    const s = net.connect(443, '192.0.2.10');            // TEST-NET-1
    s.setTimeout(1000, () => { s.destroy(); resolve('timed out'); });
    s.on('connect', () => { s.destroy(); resolve('done'); });
    s.on('error', (e) => resolve(`refused (${e.code})`));
  });
  attempt(results, 'read own source', () => fs.readFileSync(__filename));
  return results;
};

if (require.main === module) {
  const api = process.env.AWS_LAMBDA_RUNTIME_API;
  const start = () => exports.handler().then((r) => {
    for (const [k, v] of Object.entries(r)) console.log(`  node:   ${k.padEnd(26)} ${v}`);
  });
  if (!api) { start(); return; }
  // The first call to the Runtime API ends initialisation (arms read_handler).
  const [host, port] = api.split(':');
  const s = net.connect(Number(port), host);
  s.on('connect', () => { s.destroy(); start(); });
  s.on('error', start);
}
