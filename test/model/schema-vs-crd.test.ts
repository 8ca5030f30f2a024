// Our role/user field lists must be fields Teleport's own operator CRDs know (../shared/teleport-crds).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CONDITION_FIELDS, IMPERSONATE_FIELDS, OPTION_FIELDS, REQUEST_FIELDS, REVIEW_FIELDS, USER_SPEC_FIELDS } from '../../model/kinds/role-fields';

const CRDS = path.resolve(__dirname, '../../../shared/teleport-crds');
type Props = { properties: Record<string, Props> };

function specOf(file: string): Props {
  const doc = parse(fs.readFileSync(path.join(CRDS, file), 'utf8'));
  return doc.spec.versions[0].schema.openAPIV3Schema.properties.spec;
}

test('role fields exist in the v5 and v8 operator schemas', { skip: !fs.existsSync(CRDS) && 'shared/teleport-crds not present' }, () => {
  for (const file of ['resources.teleport.dev_roles.yaml', 'resources.teleport.dev_rolesv8.yaml']) {
    const spec = specOf(file);
    const allow = spec.properties.allow!.properties;
    // namespaces is a RoleConditions field in types.proto that the operator schema leaves out
    for (const f of CONDITION_FIELDS.filter((x) => x !== 'namespaces')) assert.ok(f in allow, `${file}: allow.${f}`);
    for (const f of OPTION_FIELDS) assert.ok(f in spec.properties.options!.properties, `${file}: options.${f}`);
    for (const f of REQUEST_FIELDS) assert.ok(f in allow.request!.properties, `${file}: request.${f}`);
    for (const f of REVIEW_FIELDS) assert.ok(f in allow.review_requests!.properties, `${file}: review_requests.${f}`);
    for (const f of IMPERSONATE_FIELDS) assert.ok(f in allow.impersonate!.properties, `${file}: impersonate.${f}`);
    const thresholds = allow.request!.properties.thresholds as unknown as { items: Props };
    assert.deepEqual(Object.keys(thresholds.items.properties).sort(), ['approve', 'deny', 'filter', 'name']);
  }
  const user = specOf('resources.teleport.dev_users.yaml');
  assert.deepEqual(Object.keys(user.properties).sort(), [...USER_SPEC_FIELDS].sort());
});
