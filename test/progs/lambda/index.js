// The Node handler the Lambda tests run under examples/runtimes/node/bootstrap.js.
'use strict';
const fs = require('fs');

exports.handler = async (event) => {
  if (event.read_self) {
    try {
      fs.readFileSync(__filename);
      event.self = 'readable';
    } catch (e) {
      event.self = `denied ${e.code}`;
    }
  }
  return event;
};
