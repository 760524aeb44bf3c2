#!/usr/bin/env node
// The Node.js side of scripts/bench.sh: runs the reference command on the reference body in
// Node's `vm` with one reused context (how a Node port of the service would run commands), with
// the same per-hit work as the Java hit path: fresh globals, one user property read and written
// through a map, the message captured, the JSON answer serialized. Prints one JSON object.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [commandFile, contentFile, hitsArg] = process.argv.slice(2);
if (!commandFile || !contentFile) {
  console.error("usage: bench-node.js <command.js> <content.json> [warm hits]");
  process.exit(2);
}
const source = fs.readFileSync(commandFile, "utf8");
const content = fs.readFileSync(contentFile, "utf8");
const warmHits = Number(hitsArg || 2000);

const properties = new Map();
const context = vm.createContext({});
const script = new vm.Script("(function () {\n" + source + "\n})()", { filename: "command.js" });

function hit() {
  const messages = [];
  const writes = new Map();
  const key = (name) => "42/" + name;
  Object.assign(context, {
    content,
    options: { method: "POST", params: {}, headers: {}, ip: "127.0.0.1" },
    user: { id: "42", first_name: "Ann" },
    Bot: { sendMessage: (text) => messages.push(String(text)) },
    User: {
      getProperty: (name, dflt) => {
        const k = key(name);
        if (writes.has(k)) return writes.get(k);
        return properties.has(k) ? JSON.parse(properties.get(k)) : dflt;
      },
      setProperty: (name, value) => writes.set(key(name), value),
    },
  });
  script.runInContext(context, { timeout: 5000 });
  for (const [k, v] of writes) properties.set(k, JSON.stringify(v));
  return JSON.stringify({ answer: messages.length ? messages[messages.length - 1] : null });
}

const firstStart = process.hrtime.bigint();
const first = hit();
const firstNs = Number(process.hrtime.bigint() - firstStart);
const sinceStart = performance.now();
const warm = new Float64Array(warmHits);
const warmStart = process.hrtime.bigint();
for (let i = 0; i < warmHits; i++) {
  const t = process.hrtime.bigint();
  hit();
  warm[i] = Number(process.hrtime.bigint() - t);
}
const warmTotal = Number(process.hrtime.bigint() - warmStart);
warm.sort();
console.log(JSON.stringify({
  runtime: "node " + process.version,
  process_start_to_first_answer_ms: Math.round(sinceStart),
  first_hit_ms: firstNs / 1e6,
  warm_hits: warmHits,
  warm_p50_us: warm[Math.floor(warmHits / 2)] / 1e3,
  warm_p90_us: warm[Math.floor(warmHits * 0.9)] / 1e3,
  warm_p99_us: warm[Math.floor(warmHits * 0.99)] / 1e3,
  warm_hits_per_second: warmHits / (warmTotal / 1e9),
  answer: JSON.parse(first).answer,
}));
