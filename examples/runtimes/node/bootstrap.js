#!/usr/bin/env node
// A Lambda custom runtime loop in Node (http module only): load the handler
// named by _HANDLER from LAMBDA_TASK_ROOT, then GET next / call / POST the
// response or error, forever. `fnguard emulate -- node examples/runtimes/node/bootstrap.js`.
'use strict';
const http = require('http');
const path = require('path');

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const base = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true });

function request(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port: Number(port), method, path: base + p, agent,
                               headers: Object.assign({}, headers || {},
                                                      body ? { 'Content-Length': Buffer.byteLength(body) } : {}) },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function errorBody(e) {
  return JSON.stringify({ errorMessage: String(e && e.message), errorType: (e && e.name) || 'Error' });
}

async function main() {
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const [mod, fn] = (process.env._HANDLER || 'index.handler').split('.');
  let handler;
  try {
    handler = require(path.join(root, mod))[fn]; // initialisation: the handler file is read here
  } catch (e) {
    await request('POST', '/init/error', errorBody(e), { 'Lambda-Runtime-Function-Error-Type': 'Runtime.InitError' });
    process.exit(1);
  }
  for (;;) {
    const next = await request('GET', '/invocation/next');
    const id = next.headers['lambda-runtime-aws-request-id'];
    process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'] || '';
    try {
      const result = await handler(JSON.parse(next.body.toString()), { awsRequestId: id });
      await request('POST', `/invocation/${id}/response`, JSON.stringify(result));
    } catch (e) {
      await request('POST', `/invocation/${id}/error`, errorBody(e),
                    { 'Lambda-Runtime-Function-Error-Type': `Function.${(e && e.name) || 'Error'}` });
    }
  }
}

main();
