// A resource access request (Spec.RequestedResourceIDs, field 14): the relay shows its resources in the post and
// writes the plugin data `resources` key as the Go plugin does (a JSON array of types.ResourceIDToString names).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RelayHandle } from '../../relay/app';
import { decodePluginData } from '../../relay/plugin-data';
import { eventually, postsFor, settled, startWorld, type World } from './helpers';

describe('relay: resource access requests', () => {
  let w: World;
  let relay: RelayHandle;
  before(async () => {
    w = await startWorld();
    relay = await w.start('');
    await settled(relay);
  });
  after(async () => {
    await relay?.stop();
    await w?.close();
  });

  it('posts the requested resources and stores them under `resources`', async () => {
    const req = w.teleport.createAccessRequest('bob', ['dbadmin'], 'one host only', [
      { cluster: 'sim.teleport.test', kind: 'node', name: 'db-1' },
      { cluster: 'sim.teleport.test', kind: 'kube_cluster', name: 'k1', sub_resource: 'default/web' },
    ]);
    await eventually(() => postsFor(w.rootPosts(), req.id).size > 0, 5000, 'root posts');
    const root = w.rootPosts().find((p) => p.message.includes(req.id))!;
    // Markdown-escaped in the post: db\-1
    assert.match(root.message, /\*\*Resources\*\*: \/sim\\\.teleport\\\.test\/node\/db\\-1, .*k1\/default\/web/);
    const data = await eventually(() => {
      const d = w.teleport.pluginData(req.id)?.mattermost;
      return d && !d.relay_claim ? d : undefined;
    });
    assert.equal(data.resources, JSON.stringify(['/sim.teleport.test/node/db-1', '/sim.teleport.test/kube_cluster/k1/default/web']));
    assert.deepEqual(decodePluginData(data).data.resources, ['/sim.teleport.test/node/db-1', '/sim.teleport.test/kube_cluster/k1/default/web']);
  });
});
