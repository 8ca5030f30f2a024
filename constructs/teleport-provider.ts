import { Construct } from 'constructs';
import { TerraformProvider } from './cdktf';

/** Teleport's own provider is not on registry.terraform.io; Teleport publishes it from its own registry. */
export const TELEPORT_PROVIDER_SOURCE = 'terraform.releases.teleport.dev/gravitational/teleport';

export interface TeleportProviderProps {
  /** Teleport Proxy (host:443) or Auth (host:3025) address. */
  readonly addr: string;
  /** Provider version constraint; defaults to the target Teleport major, e.g. "~> 15.0". */
  readonly version: string;
  /**
   * Path of an identity file on the machine that runs Terraform. Credentials stay out of cdk.tf.json:
   * leave this unset and use TF_TELEPORT_IDENTITY_FILE_PATH (or tbot) in the deploy environment.
   */
  readonly identityFilePath?: string;
}

/** Hand-written binding of the `teleport` provider (no prebuilt cdktf binding exists). */
export class TeleportProvider extends TerraformProvider {
  private readonly props: TeleportProviderProps;

  constructor(scope: Construct, id: string, props: TeleportProviderProps) {
    super(scope, id, {
      terraformResourceType: 'teleport',
      terraformGeneratorMetadata: { providerName: 'teleport', providerVersion: props.version },
      terraformProviderSource: TELEPORT_PROVIDER_SOURCE,
    });
    this.props = props;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const out: Record<string, unknown> = { addr: this.props.addr };
    if (this.props.identityFilePath) out.identity_file_path = this.props.identityFilePath;
    return out;
  }
}
