// Our proto subset (teleport-client/proto) against Teleport 18.0.0's own .proto files (../shared/teleport-protos,
// unmodified): every message, field (number, name, type, label), enum value and RPC we declare must be Teleport's.
// The few things we declare that 18.0.0 no longer has are listed with the reason; anything else fails.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as protoLoader from '@grpc/proto-loader';
import { AUTH_SERVICE_PROTO, PROTO_ROOT, USERS_SERVICE_PROTO } from '../../teleport-client/protos';

const repoRoot = path.resolve(__dirname, '..', '..');
const SHARED = path.resolve(repoRoot, '..', 'shared', 'teleport-protos');
const AMR = 'teleport/accessmonitoringrules/v1/access_monitoring_rules.proto';
const PING = 'teleport/legacy/client/proto/ping_features.proto';

/** Declared by us, absent from 18.0.0 on purpose. */
const NOT_IN_18: Readonly<Record<string, string>> = {
  'proto.GetRolesResponse': 'GetRoles was removed in 17; kept for 15 and 16 (model/teleport-versions.ts)',
  '/proto.AuthService/GetRoles': 'removed in 17; called only when ListRoles is UNIMPLEMENTED',
  // users_service.proto is not among the shared 18.0.0 files; its subset was checked against upstream (file header)
  'teleport.users.v1.ListUsersRequest': 'not in ../shared (see the file header for the upstream commit)',
  'teleport.users.v1.ListUsersResponse': 'not in ../shared (see the file header for the upstream commit)',
  'teleport.users.v1.UsersService': 'not in ../shared (see the file header for the upstream commit)',
};

type Field = { name: string; number: number; type: string; typeName: string; label: string };
type Desc = { format?: string; type?: { field?: Field[]; value?: { name: string; number: number }[] } };
type Method = { path: string; requestStream: boolean; responseStream: boolean; requestType: { type: { name: string } }; responseType: { type: { name: string } } };

const opts: protoLoader.Options = { keepCase: true };
let oursAll: protoLoader.PackageDefinition[];
let real: protoLoader.PackageDefinition;

function isMessage(d: unknown): d is Desc {
  return (d as Desc).format === 'Protocol Buffer 3 DescriptorProto';
}
function isEnum(d: unknown): d is Desc {
  return (d as Desc).format === 'Protocol Buffer 3 EnumDescriptorProto';
}
function isService(d: unknown): boolean {
  return !('format' in (d as object)) && Object.values(d as object).every((m) => typeof (m as Method).path === 'string');
}
// Well-known and gogoproto types come from protobufjs itself, not from either tree.
const ours_ = (name: string) => !name.startsWith('google.');

describe('our proto subset is Teleport 18.0.0', () => {
  before(() => {
    // ping_features.proto declares PingRequest/PingResponse again (with Features): loaded on its own
    oursAll = [[AUTH_SERVICE_PROTO, USERS_SERVICE_PROTO, AMR], [PING]].map((files) => protoLoader.loadSync(files, { ...opts, includeDirs: [PROTO_ROOT] }));
    real = protoLoader.loadSync(['teleport/legacy/client/proto/authservice.proto', 'teleport/accessmonitoringrules/v1/access_monitoring_rules_service.proto'], { ...opts, includeDirs: [SHARED] });
  });

  it('every message field has Teleport\'s number, name, type and label', () => {
    const problems: string[] = [];
    let fields = 0;
    for (const [name, d] of oursAll.flatMap((o) => Object.entries(o) as [string, unknown][])) {
      if (!isMessage(d) || !ours_(name) || NOT_IN_18[name]) continue;
      const r = real[name] as unknown;
      if (!r || !isMessage(r)) {
        problems.push(`message ${name}: not in Teleport 18.0.0`);
        continue;
      }
      for (const f of d.type?.field ?? []) {
        fields++;
        const g = (r.type?.field ?? []).find((x) => x.number === f.number);
        if (!g) problems.push(`${name}.${f.name} = ${f.number}: Teleport has no field ${f.number}`);
        else {
          for (const k of ['name', 'type', 'typeName', 'label'] as const) {
            if (f[k] !== g[k]) problems.push(`${name}.${f.name} = ${f.number}: ${k} ${JSON.stringify(f[k])}, Teleport ${JSON.stringify(g[k])}`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(fields > 300, `compared ${fields} fields`);
  });

  it('every enum value has Teleport\'s number', () => {
    const problems: string[] = [];
    for (const [name, d] of oursAll.flatMap((o) => Object.entries(o) as [string, unknown][])) {
      if (!isEnum(d) || !ours_(name)) continue;
      const r = real[name] as unknown;
      if (!r || !isEnum(r)) {
        problems.push(`enum ${name}: not in Teleport 18.0.0`);
        continue;
      }
      for (const v of d.type?.value ?? []) {
        const g = (r.type?.value ?? []).find((x) => x.name === v.name);
        if (!g || g.number !== v.number) problems.push(`${name}.${v.name} = ${v.number}: Teleport ${g ? g.number : 'has no such value'}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  it('every RPC has Teleport\'s path, streaming and message types', () => {
    const problems: string[] = [];
    let rpcs = 0;
    for (const [name, d] of oursAll.flatMap((o) => Object.entries(o) as [string, unknown][])) {
      if (isMessage(d) || isEnum(d) || !isService(d) || NOT_IN_18[name]) continue;
      const r = real[name] as Record<string, Method> | undefined;
      if (!r) {
        problems.push(`service ${name}: not in Teleport 18.0.0`);
        continue;
      }
      for (const m of Object.values(d as Record<string, Method>)) {
        if (NOT_IN_18[m.path]) continue;
        rpcs++;
        const g = Object.values(r).find((x) => x.path === m.path);
        if (!g) problems.push(`${m.path}: not in Teleport 18.0.0`);
        else {
          if (g.requestStream !== m.requestStream || g.responseStream !== m.responseStream) problems.push(`${m.path}: streaming differs`);
          if (g.requestType.type.name !== m.requestType.type.name) problems.push(`${m.path}: request ${m.requestType.type.name}, Teleport ${g.requestType.type.name}`);
          if (g.responseType.type.name !== m.responseType.type.name) problems.push(`${m.path}: response ${m.responseType.type.name}, Teleport ${g.responseType.type.name}`);
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(rpcs >= 20, `compared ${rpcs} RPCs`);
  });
});
