/** The files `dualauth init` writes: a cdktf TypeScript project declaring the guide's scenario. */

export const STACK_ID = 'dual-authorization';

export interface InitOptions {
  name: string;
  /** npm spec of this package, e.g. "0.1.0" or "file:../dualauth". */
  dualauthSpec: string;
  versions: { cdktf: string; cdktfCli: string; constructs: string; tsx: string; typesNode: string; typescript: string };
}

const MAIN_TS = `/**
 * Your dual authorization stack. \`npx cdktf synth\` or \`npx dualauth synth\` runs this file (see
 * cdktf.json) and writes cdktf.out/stacks/${STACK_ID}/: cdk.tf.json, teleport.yaml, mattermost-bot.json.
 * Settings come from cdktf.json "context" (or CDKTF_CONTEXT_JSON, or dualauth synth -c key=value),
 * then from the environment.
 */
import { AccessPluginIdentity, DualAuthApp, DualAuthorization, DualAuthStack, MattermostBot } from 'dualauth';

// DualAuthApp writes all files or none: a failed synth leaves cdktf.out/ as it was
const app = new DualAuthApp();
const setting = (key: string, env: string, fallback: string): string => String(app.node.tryGetContext(key) ?? process.env[env] ?? fallback);

const stack = new DualAuthStack(app, '${STACK_ID}', {
  teleportVersion: setting('teleportVersion', 'DUALAUTH_TELEPORT_VERSION', '15.4'),
  teleportAddr: setting('teleportAddr', 'DUALAUTH_TELEPORT_ADDR', 'teleport.example.com:443'),
});

// the access plugin's role and user; the operator signs its identity (tctl auth sign --user=access-plugin)
new AccessPluginIdentity(stack, 'AccessPlugin', { impersonator: setting('operatorUser', 'DUALAUTH_OPERATOR_USER', 'operator@example.com') });

// dbadmin: root on prod database nodes, for devops after two approvals from dbreviewer; one denial rejects
new DualAuthorization(stack, 'DbAdmin', {
  privilegedRole: { name: 'dbadmin', logins: ['root'], nodeLabels: { env: 'prod', type: 'db' } },
  requesterRoleName: 'devops',
  reviewerRoleName: 'dbreviewer',
  requesters: ['bob@example.com'],
  reviewers: ['alice@example.com', 'ivan@example.com'],
  approve: 2,
  deny: 1,
});

// the Mattermost bot the plugin posts as (apply it with: npx dualauth mattermost apply --bot cdktf.out/stacks/${STACK_ID}/mattermost-bot.json --url ...)
new MattermostBot(stack, 'MattermostBot', {
  username: 'teleport',
  displayName: 'Teleport',
  description: 'Announces Teleport access requests for review',
  teams: [setting('teamName', 'DUALAUTH_MATTERMOST_TEAM', 'myteam')],
  postAll: true,
});

app.synth();
`;

const README = (name: string) => `# ${name}

Dual authorization for Teleport as code, made with \`dualauth init\`.

\`\`\`sh
npm install
npm run synth              # cdktf synth (version check off); or: npx dualauth synth (same output, no cdktf CLI)
npx dualauth review cdktf.out/stacks/${STACK_ID}
tctl create -f cdktf.out/stacks/${STACK_ID}/teleport.yaml    # or: npm run deploy (cdktf deploy)
npx dualauth drift cdktf.out/stacks/${STACK_ID} --live live.yaml   # live.yaml from: tctl get roles,users
\`\`\`

Edit \`stacks/main.ts\` to declare your roles, users and dual authorizations. Settings such as
\`teleportVersion\` go into \`cdktf.json\` as \`"context": {"teleportVersion": "18"}\`.
`;

export function initFiles(o: InitOptions): Record<string, string> {
  const pkg = {
    name: o.name,
    version: '0.1.0',
    private: true,
    scripts: {
      synth: 'CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 cdktf synth',
      'synth:fast': 'dualauth synth',
      review: `dualauth review cdktf.out/stacks/${STACK_ID}`,
      deploy: `CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 cdktf deploy ${STACK_ID}`,
    },
    dependencies: { cdktf: o.versions.cdktf, constructs: o.versions.constructs, dualauth: o.dualauthSpec },
    devDependencies: { '@types/node': o.versions.typesNode, 'cdktf-cli': o.versions.cdktfCli, tsx: o.versions.tsx, typescript: o.versions.typescript },
  };
  const cdktf = {
    language: 'typescript',
    app: 'node --import tsx stacks/main.ts',
    output: 'cdktf.out',
    projectId: o.name,
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
  };
  const tsconfig = {
    compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node', strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true, types: ['node'] },
    include: ['stacks/**/*.ts'],
  };
  return {
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'cdktf.json': `${JSON.stringify(cdktf, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    '.gitignore': 'node_modules/\ncdktf.out/\n.dualauth-*/\n*.tfstate*\n',
    'stacks/main.ts': MAIN_TS,
    'README.md': README(o.name),
  };
}
