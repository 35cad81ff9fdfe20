// A Lambda Runtime API upstream on node's http (llhttp): a third HTTP stack
// for the proxy's differential test, next to test/progs/go/rtapi.go, with the
// same routes and the same log lines (route, method, path, id, body length
// and hash, ok).
//
//   node rtapi_upstream.js LOG PORT_FILE
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const http = require("http");

const [logPath, portFile] = process.argv.slice(2);
const log = fs.openSync(logPath, "a");
const prefix = "/2018-06-01/runtime/";
let n = 0;

// [route, id, method it needs] of a path, as a path router sees it
function route(path) {
	if (!path.startsWith(prefix)) return ["other", "", ""];
	const rest = path.slice(prefix.length);
	if (rest === "invocation/next") return ["next", "", "GET"];
	if (rest === "init/error") return ["init-error", "", "POST"];
	const parts = rest.split("/");
	if (parts.length === 3 && parts[0] === "invocation" && parts[1] !== "" &&
	    (parts[2] === "response" || parts[2] === "error"))
		return [parts[2], parts[1], "POST"];
	return ["other", "", ""];
}

const server = http.createServer((req, res) => {
	const chunks = [];
	let failed = false;
	req.on("data", (c) => chunks.push(c));
	req.on("error", () => { failed = true; });
	req.on("aborted", () => { failed = true; });
	req.on("end", () => {
		const path = req.url.split("?")[0];
		let [rt, id, method] = route(path);
		if (method && req.method !== method) [rt, id] = ["other", ""];
		const body = Buffer.concat(chunks);
		const e = { route: rt, method: req.method, path: path, id: id || undefined, len: body.length,
			    sha: crypto.createHash("sha256").update(body).digest("hex").slice(0, 16), ok: !failed };
		if (rt === "next") e.id = "inv-" + ++n;
		if (rt === "error" || rt === "init-error")
			e.error_type = req.headers["lambda-runtime-function-error-type"] || undefined;
		fs.writeSync(log, JSON.stringify(e) + "\n");
		if (rt === "next") {
			res.writeHead(200, { "Lambda-Runtime-Aws-Request-Id": e.id,
					     "Lambda-Runtime-Trace-Id": "Root=1-00000000-" + e.id,
					     "Lambda-Runtime-Deadline-Ms": "4102444800000",
					     "Content-Type": "application/json" });
			res.end(JSON.stringify({ n: n }));
		} else if (rt !== "other") {
			res.writeHead(202);
			res.end('{"status":"OK"}');
		} else {
			res.writeHead(method ? 405 : 404);
			res.end();
		}
	});
});
server.listen(0, "127.0.0.1", () => {
	fs.writeFileSync(portFile + ".tmp", server.address().port + "\n");
	fs.renameSync(portFile + ".tmp", portFile);
});
