#!/usr/bin/env node
// Prints the body of a Kinesis PutRecord request whose data is what a CloudWatch Logs subscription
// filter puts on a stream: a gzip-compressed DATA_MESSAGE envelope, one logEvents[] entry per log
// event. Input: a CloudTrail file ({"Records":[...]}, gzip or not) or a text file of one event (or
// one VPC flow log line) per line. Nothing is sent: pipe the output into curl (docs/aws.md).
// With --raw it writes the record's data itself (the gzip bytes), e.g. for
// `aws kinesis put-record --data fileb://FILE`.
//
//   node tools/aws-local/cwl-record.js --stream NAME [--log-group NAME] FILE
//   node tools/aws-local/cwl-record.js --raw [--log-group NAME] FILE > record.gz
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

function usage(message) {
  if (message) console.error(`cwl-record: ${message}`);
  console.error(
    'usage: node tools/aws-local/cwl-record.js (--stream NAME | --raw) [--log-group NAME] FILE',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
let stream;
let logGroup = 'aws-cloudtrail-logs';
let file;
let raw = false;
while (args.length > 0) {
  const arg = args.shift();
  if (arg === '--stream') stream = args.shift();
  else if (arg === '--log-group') logGroup = args.shift();
  else if (arg === '--raw') raw = true;
  else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
  else if (file === undefined) file = arg;
  else usage(`one FILE only, got ${file} and ${arg}`);
}
if (!stream && !raw) usage('--stream NAME (or --raw) is required');
if (!file) usage('FILE is required');

let input = fs.readFileSync(file);
if (input[0] === 0x1f && input[1] === 0x8b) input = zlib.gunzipSync(input);
const text = input.toString('utf8');
let messages;
try {
  const json = JSON.parse(text);
  const records = Array.isArray(json) ? json : json.Records;
  if (!Array.isArray(records)) throw new Error('no Records array');
  messages = records.map((event) => JSON.stringify(event));
} catch (notOneJsonDocument) {
  messages = text.split('\n').filter((line) => line.trim() !== '');
}

const now = Date.now();
const account = '111122223333';
const envelope = {
  messageType: 'DATA_MESSAGE',
  owner: account,
  logGroup,
  logStream: `${account}_CloudTrail_us-east-1`,
  subscriptionFilters: ['vigil'],
  logEvents: messages.map((message, i) => ({
    id: String(now * 1000 + i),
    timestamp: now,
    message,
  })),
};
const data = zlib.gzipSync(Buffer.from(JSON.stringify(envelope)));
if (data.length > 1024 * 1024) {
  console.error(`cwl-record: ${data.length} bytes compressed, over Kinesis' 1 MiB record limit`);
  process.exit(1);
}
if (raw) {
  process.stdout.write(data);
} else {
  process.stdout.write(
    JSON.stringify({
      StreamName: stream,
      PartitionKey: path.basename(file),
      Data: data.toString('base64'),
    }) + '\n',
  );
}
