// A Node function that reads its own code after initialisation
// (test/integration/handler_code.sh). reader.js MODULE CODE DATA: require
// MODULE (a directory module), connect to the Runtime API (ends init), then
// read CODE and DATA: "OK path" or "DENIED code path".
const fs = require('fs'), net = require('net');
const [mod, code, data] = process.argv.slice(2);
require(mod);
console.log('INIT-OK');
const s = net.connect(Number(process.env.AWS_LAMBDA_RUNTIME_API.split(':')[1]), '127.0.0.1');
s.on('error', () => {
  for (const p of [code, data]) {
    try { fs.readFileSync(p); console.log('OK', p); }
    catch (e) { console.log('DENIED', e.code, p); }
  }
});
