#!/usr/bin/env node
// The hello server of scripts/bench.sh: answers every request with a small JSON body, as fast as
// Node's http module can, on 127.0.0.1:<port>. The baseline for the local server's throughput.
"use strict";
const http = require("http");
const port = Number(process.argv[2]);
if (!port) {
  console.error("usage: bench-hello.js <port>");
  process.exit(2);
}
const body = JSON.stringify({ answer: "hello" });
http
  .createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
      res.end(body);
    });
  })
  .listen(port, "127.0.0.1");
