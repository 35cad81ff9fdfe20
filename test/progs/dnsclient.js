// Outbound connections by host name, the way Node functions make them.
//
//   dnsclient.js net HOST[:PORT]...      net.connect + an HTTP exchange
//   dnsclient.js http HOST[:PORT]...     http.get("http://HOST:PORT/")
//   dnsclient.js resolve4 NAME...        dns.resolve4 (c-ares, /etc/resolv.conf)
//   dnsclient.js lookup NAME...          dns.lookup (getaddrinfo), IPv4
//   dnsclient.js resolve4-at SERVER NAME dns.Resolver with setServers([SERVER])
// Ports default to 8080. One line per attempt, in order:
//   OK NAME [detail] | DENIED ERRNO NAME | NORESOLVE CODE NAME | FAILED WHAT NAME
// (detail: the sorted addresses of a lookup). Exit status 0 whatever the outcomes.
'use strict';
const dns = require('dns');
const http = require('http');
const net = require('net');
const os = require('os');

function split(target) {
	const i = target.lastIndexOf(':');
	if (i > 0 && target.indexOf(':') === i) return [target.slice(0, i), Number(target.slice(i + 1))];
	return [target, 8080];
}

function report(name, err, detail) {
	if (!err) {
		console.log(detail ? `OK ${name} ${detail}` : `OK ${name}`);
	} else if (err.syscall === 'getaddrinfo' || /^query/.test(err.syscall || '')) {
		console.log(`NORESOLVE ${err.code} ${name}`);
	} else if (err.code && os.constants.errno[err.code]) {
		console.log(`DENIED ${os.constants.errno[err.code]} ${name}`);
	} else {
		console.log(`FAILED ${String(err.code || err.message).replace(/ /g, '_')} ${name}`);
	}
}

function viaNet(target) {
	const [host, port] = split(target);
	return new Promise((done) => {
		let data = '';
		const s = net.connect({ host, port, family: 4 });
		s.setTimeout(10000, () => s.destroy(new Error('timeout')));
		s.on('connect', () => s.write('GET / HTTP/1.0\r\nHost: test\r\n\r\n'));
		s.on('data', (d) => { data += d; });
		s.on('error', (e) => { report(target, e); done(); });
		s.on('end', () => { report(target, data.includes('hello') ? null : new Error('no-hello')); done(); });
	});
}

function viaHttp(target) {
	const [host, port] = split(target);
	return new Promise((done) => {
		const req = http.get({ host, port, path: '/', family: 4, agent: false, timeout: 10000 }, (res) => {
			let body = '';
			res.on('data', (d) => { body += d; });
			res.on('end', () => { report(target, body === 'hello' ? null : new Error('no-hello')); done(); });
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', (e) => { report(target, e); done(); });
	});
}

function viaResolve4(resolver, name) {
	return new Promise((done) => {
		resolver.resolve4(name, (err, addrs) => {
			report(name, err, addrs && addrs.slice().sort().join(','));
			done();
		});
	});
}

function viaLookup(name) {
	return new Promise((done) => {
		dns.lookup(name, { family: 4, all: true }, (err, addrs) => {
			report(name, err, addrs && addrs.map((a) => a.address).sort().join(','));
			done();
		});
	});
}

async function main() {
	const [mode, ...args] = process.argv.slice(2);
	if (mode === 'resolve4-at') {
		const r = new dns.Resolver({ timeout: 1000, tries: 1 });
		r.setServers([args[0]]);
		await viaResolve4(r, args[1]);
		return;
	}
	const fn = {
		net: viaNet,
		http: viaHttp,
		resolve4: (n) => viaResolve4(new dns.Resolver({ timeout: 2000, tries: 2 }), n),
		lookup: viaLookup,
	}[mode];
	if (!fn) throw new Error(`unknown mode ${mode}`);
	for (const a of args) await fn(a);
}

main();
