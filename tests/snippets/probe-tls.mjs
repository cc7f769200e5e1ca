// Preloaded with `node --import ./probe-tls.mjs snippet.mjs`: when the snippet ends its node-postgres
// Client, prints "tls: true" or "tls: false" (whether the session's socket is encrypted) on stderr.
// The snippet itself runs unchanged.
import pg from "pg";

const end = pg.Client.prototype.end;
pg.Client.prototype.end = function (...args) {
  const stream = this.connection && this.connection.stream;
  process.stderr.write(`tls: ${Boolean(stream && stream.encrypted)}\n`);
  return end.apply(this, args);
};
