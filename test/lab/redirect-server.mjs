// A tiny HTTPS server for the lab (started inside the lab namespace with Lab.startProcess): answers every request with
// a redirect, to measure how containerd follows redirects (Go net/http + containerd's CheckRedirect).
//   node redirect-server.mjs <config.json>
// config: { addr, port, cert, key, mode: 'loop' | 'chain', hops?, target?, absolute? }
//   loop:  every path → 302 to itself (Location relative unless `absolute`)
//   chain: /v2/… → /r1/v2/… → … → /r<hops>/v2/… → 307 to <target>/v2/… (hops + 1 redirects in all)
// Each request is logged as one line "<method> <path>" on stdout.
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const server = createServer({ cert: readFileSync(cfg.cert), key: readFileSync(cfg.key) }, (req, res) => {
  process.stdout.write(`${req.method} ${req.url}\n`);
  const url = req.url ?? '/';
  let location;
  if (cfg.mode === 'loop') {
    location = cfg.absolute ? `https://${req.headers.host}${url}` : url;
    res.writeHead(302, { Location: location, 'Content-Length': '0' });
    return res.end();
  }
  const m = url.match(/^\/r(\d+)(\/v2\/.*)$/);
  const k = m ? Number(m[1]) : 0;
  const rest = m ? m[2] : url;
  if (k < cfg.hops) {
    res.writeHead(302, { Location: `/r${k + 1}${rest}`, 'Content-Length': '0' });
  } else {
    res.writeHead(307, { Location: `${cfg.target}${rest}`, 'Content-Length': '0' });
  }
  res.end();
});
server.listen(cfg.port, cfg.addr);
