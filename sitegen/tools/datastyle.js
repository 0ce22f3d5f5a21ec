/* Every data file read and written by the forms' own writer (admin.js's merhavWriter), under node.
 *
 * stdin: {"admin": path of admin.js, "jsyaml": path of js-yaml, "codes": [...],
 *         "files": [{"kind": "list" | "mapping" | "plain", "fields": [...], "text": "..."}]}
 * stdout: the texts the forms would write for them, as a JSON list in the same order (a file that cannot be
 * read: null, and its error on stderr). sitegen/tools/datastyle.py prepares the list and compares or writes. */
'use strict';
var chunks = [];
process.stdin.on('data', function (c) { chunks.push(c); });
process.stdin.on('end', function () {
  var job = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  var writer = require(job.admin)(job.codes, require(job.jsyaml));
  var out = job.files.map(function (file) {
    var format = file.kind === 'list' ? writer.listFormat(file.fields)
      : file.kind === 'mapping' ? writer.mappingFormat(file.fields) : writer.plainFormat();
    try {
      return format.toFile(format.fromFile(file.text));
    } catch (e) {
      process.stderr.write(String(e && e.message || e) + '\n');
      return null;
    }
  });
  process.stdout.write(JSON.stringify(out));
});
