import { Construct } from 'constructs';
import { TerraformMetaArguments, TerraformResource } from './cdktf';

export interface TerraformDataConfig extends TerraformMetaArguments {
  /** Stored in state and echoed as the `output` attribute after apply. */
  readonly input?: unknown;
  /**
   * Any change to this value replaces the resource, which re-runs its creation-time provisioners. A function
   * is called at synth, for values that depend on constructs added after this one.
   */
  readonly triggersReplace?: unknown;
}

/**
 * L1 binding of Terraform's built-in `terraform_data` resource (Terraform >= 1.4). It comes from the
 * built-in `terraform.io/builtin/terraform` provider, so nothing is downloaded and no provider block is
 * needed. Provisioners (`local-exec`) go through the base class's `provisioners` meta-argument.
 */
export class TerraformData extends TerraformResource {
  static readonly tfResourceType = 'terraform_data';

  private readonly config: TerraformDataConfig;

  constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      // "terraform" is the built-in provider: cdktf's provider-presence check skips it
      terraformGeneratorMetadata: { providerName: 'terraform' },
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      forEach: config.forEach,
      provisioners: config.provisioners,
      connection: config.connection,
    });
    this.config = config;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const out: Record<string, unknown> = {};
    if (this.config.input !== undefined) out.input = this.config.input;
    const triggers = this.config.triggersReplace;
    if (triggers !== undefined) out.triggers_replace = typeof triggers === 'function' ? (triggers as () => unknown)() : triggers;
    return out;
  }
}
