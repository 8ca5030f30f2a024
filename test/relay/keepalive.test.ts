/**
 * Issue 15, silent outage: on a black-holed connection to Auth (packets dropped, no reset) the watch,
 * /readyz and dualauth_relay_teleport_watch_up used to say "up" forever. With gRPC keepalive
 * ([relay] keepalive_interval / keepalive_timeout) the dead connection is noticed, the watch goes
 * down, and it comes back once the network does.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startRelay } from '../../relay/app';
import { createLogger } from '../../relay/log';
import { eventually, settled, startWorld, type World } from './helpers';

/** A TCP forwarder that can silently drop everything in both directions, without closing anything. */
function blackHoleProxy(target: string) {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  let holed = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (d) => void (holed || upstream.write(d)));
    upstream.on('data', (d) => void (holed || client.write(d)));
  });
  return {
    listen: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`127.0.0.1:${(server.address() as net.AddressInfo).port}`))),
    hole: () => void (holed = true),
    heal: () => {
      holed = false;
      // What was black-holed stays dead (its bytes are lost); new connections go through.
      for (const s of sockets) s.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe('keepalive on the Teleport channel', () => {
  let w: World;
  before(async () => (w = await startWorld()));
  after(async () => w.close());

  it('a black-holed connection takes the watch and /readyz down, and they recover', async () => {
    const proxy = blackHoleProxy(w.teleport.addr);
    const addr = await proxy.listen();
    const config = w.config('teleport_connect = "direct"\nkeepalive_interval = "1s"\nkeepalive_timeout = "1s"');
    config.teleport.addr = addr;
    assert.equal(config.relay.keepaliveIntervalMs, 1000);
    const relay = await startRelay(config, { log: createLogger({ severity: 'error', output: () => undefined }), watchBackoff: { minMs: 20, maxMs: 200 }, jobBackoff: { minMs: 20, maxMs: 200 }, initTimeoutMs: 3000, teleportTimeoutMs: 3000 });
    try {
      await settled(relay);
      const up = async () => (await relay.metrics.watchUp.get()).values[0]?.value;
      assert.equal(await up(), 1);
      proxy.hole();
      await eventually(async () => (await up()) === 0, 30_000, 'watch down after the black hole');
      assert.equal(relay.ready(), false);
      assert.match(relay.notReady().join(', '), /Teleport watch not established/);
      proxy.heal();
      await eventually(async () => (await up()) === 1 && relay.ready(), 30_000, 'watch back up');
    } finally {
      await relay.stop();
      await proxy.close();
    }
  });
});
