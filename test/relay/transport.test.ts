import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpTransport } from '../../mattermost-client/transport';

describe('Mattermost HTTP transport (fetch-compatible, node:http)', () => {
  let server: Server;
  let base: string;
  const t = createHttpTransport();
  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/moved') {
          res.writeHead(307, { Location: '/echo' });
          res.end();
          return;
        }
        if (req.url === '/slow') {
          setTimeout(() => res.end('late'), 500);
          return;
        }
        res.writeHead(201, { 'Content-Type': 'application/json', 'X-Ratelimit-Remaining': '7' });
        res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization, body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    t.close();
    await new Promise((r) => server.close(r));
  });

  it('sends method, headers and body; answers status, headers and text', async () => {
    const r = await t.fetch(`${base}/echo`, { method: 'POST', headers: { Authorization: 'BEARER x', 'Content-Type': 'application/json' }, body: '{"a":1}' });
    assert.equal(r.status, 201);
    assert.equal(r.ok, true);
    assert.equal(r.headers.get('x-ratelimit-remaining'), '7');
    assert.equal(r.headers.get('Content-Type'), 'application/json');
    assert.deepEqual(JSON.parse(await r.text()), { method: 'POST', auth: 'BEARER x', body: '{"a":1}' });
  });

  it('follows a 307 with the same method and body', async () => {
    const r = await t.fetch(`${base}/moved`, { method: 'PUT', body: 'x' });
    assert.deepEqual(JSON.parse(await r.text()), { method: 'PUT', body: 'x' });
  });

  it('fails like fetch: TypeError with the Node error code as cause; abort rejects with the signal reason', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(t.fetch(`http://127.0.0.1:${port}/`), (e: unknown) => e instanceof TypeError && (e.cause as { code?: string }).code === 'ECONNREFUSED');
    await assert.rejects(t.fetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }), (e: unknown) => (e as Error).name === 'TimeoutError');
  });
});
