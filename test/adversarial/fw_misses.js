// fw_misses (Node): the handler of test/adversarial/fw_misses.py's Node
// vectors, an eval() "calculator" beside a module-level map of passwords;
// fw_misses.py writes the events and judges the results.
'use strict';
const USERS = new Map([['alice', 'pw-alice-9f3'], ['bob', 'pw-bob']]);

exports.handler = async (event) => {
  const q = event.queryStringParameters || {};
  const out = {};
  if (USERS.size && 'expr' in q) out.result = String(eval(q.expr)); // a calculator
  return { statusCode: 200, body: JSON.stringify(out) };
};
