// The version table (model/teleport-versions.ts) drives the simulator and the client's fallbacks:
// a method a major removed answers UNIMPLEMENTED, and the client still lists everything, page by page.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { methodServed, SUPPORTED_TELEPORT, supportedTeleport, type RoleResource, type UserResource } from '../../model';
import { connectTeleport, TeleportApiError, type TeleportClient } from '../../teleport-client/client';
import { credentialsFromIdentity } from '../../teleport-client/tls';
import { roleWire } from '../../teleport-client/kinds/role';
import { userWire } from '../../teleport-client/kinds/user';
import { roleToPb, userToPb, type Pb } from '../../teleport-client/convert';
import { startTeleportSimulator, type TeleportSimulator } from '../../simulators/teleport';

const admin: RoleResource = { kind: 'role', version: 'v7', metadata: { name: 'admin' }, spec: { allow: { rules: [{ resources: ['*'], verbs: ['*'] }] } } };
const roles = (n: number): RoleResource[] => Array.from({ length: n }, (_, i) => ({ kind: 'role', version: 'v7', metadata: { name: `r${String(i).padStart(4, '0')}` }, spec: { allow: { logins: ['u'] } } }));
const users = (n: number): UserResource[] => Array.from({ length: n }, (_, i) => ({ kind: 'user', version: 'v2', metadata: { name: `u${String(i).padStart(4, '0')}` }, spec: { roles: ['admin'] } }));

describe('supported Teleport majors', () => {
  const sims: TeleportSimulator[] = [];
  const clients: TeleportClient[] = [];
  after(async () => {
    for (const c of clients) c.close();
    for (const s of sims) await s.close();
  });

  it('the table: 15.4 and the three current majors, role versions, default version, provider constraint', () => {
    assert.deepEqual(SUPPORTED_TELEPORT.map((t) => t.major), [15, 16, 17, 18]);
    assert.equal(supportedTeleport(15).defaultRoleVersion, 'v7');
    assert.equal(supportedTeleport(18).defaultRoleVersion, 'v8');
    assert.ok(!supportedTeleport(17).roleVersions.includes('v8'));
    assert.ok(supportedTeleport(18).roleVersions.includes('v3'));
    assert.equal(supportedTeleport(16).terraformProvider, '~> 16.0');
    assert.equal(methodServed('/proto.AuthService/GetRoles', 16), true);
    assert.equal(methodServed('/proto.AuthService/GetRoles', 17), false);
  });

  for (const t of SUPPORTED_TELEPORT) {
    it(`Teleport ${t.release}: GetRoles as the table says, and the client lists 1,200 roles and 1,100 users in pages`, async () => {
      const sim = await startTeleportSimulator({ serverVersion: t.release, resources: [admin, ...roles(1200), ...users(1100)] });
      sims.push(sim);
      const client = await connectTeleport({ addr: sim.addr, credentials: credentialsFromIdentity(sim.issueIdentity('u0000', ['admin'])) });
      clients.push(client);
      const getRoles = (client as unknown as { unary(m: string, r: Pb): Promise<Pb> }).unary('GetRoles', {});
      if (t.methods.includes('/proto.AuthService/GetRoles')) {
        assert.equal(((await getRoles).Roles as unknown[]).length, 1201);
      } else {
        await assert.rejects(getRoles, (e: Error) => e instanceof TeleportApiError && e.code === 'NotImplemented');
      }
      const before = sim.callLog.length;
      const [listedRoles, listedUsers] = [await client.getRoles(), await client.getUsers()];
      assert.equal(listedRoles.length, 1201);
      assert.equal(new Set(listedRoles.map((r) => r.metadata.name)).size, 1201);
      assert.equal(listedUsers.length, 1100);
      const calls = sim.callLog.slice(before).map((c) => c.method);
      assert.equal(calls.filter((m) => m === 'ListRoles').length, 3, 'pages of 500');
      assert.equal(calls.filter((m) => m === 'UsersService/ListUsers').length, 3);
      assert.ok(!calls.includes('GetRoles') && !calls.includes('GetUsers'));
    });
  }

  it('falls back to GetRoles / GetUsers where a server does not implement the paginated calls', async () => {
    const unimplemented = (m: string) => new TeleportApiError('NotImplemented', m, `unknown method ${m}`);
    const calls: string[] = [];
    const rpc = {
      async unary(method: string): Promise<Pb> {
        calls.push(method);
        if (method !== 'GetRoles') throw unimplemented(method);
        return { Roles: roles(2).map(roleToPb) };
      },
      async serverStream(method: string): Promise<Pb[]> {
        calls.push(method);
        return users(3).map(userToPb);
      },
    };
    assert.equal((await roleWire.list(rpc)).length, 2);
    assert.equal((await userWire.list(rpc)).length, 3);
    assert.deepEqual(calls, ['ListRoles', 'GetRoles', 'ListUsers', 'GetUsers']);
    const denied = { ...rpc, unary: async (m: string): Promise<Pb> => Promise.reject(new TeleportApiError('AccessDenied', m, 'no')) };
    await assert.rejects(roleWire.list(denied), (e: Error) => e instanceof TeleportApiError && e.code === 'AccessDenied', 'only UNIMPLEMENTED falls back');
  });
});
