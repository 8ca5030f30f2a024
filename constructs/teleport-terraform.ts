import { Construct } from 'constructs';
import { TerraformProvider, TerraformResource } from './cdktf';

/**
 * One Teleport resource as a resource of Teleport's Terraform provider (`teleport_role`, `teleport_user`).
 * Attributes come from the model's Terraform mapping, rendered lazily in synthesizeAttributes, which keeps
 * synthesis linear (addOverride grows superlinearly with resource count).
 */
export class TeleportTerraformResource extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    terraformType: string,
    provider: TerraformProvider,
    private readonly render: () => Record<string, unknown>,
  ) {
    super(scope, id, { terraformResourceType: terraformType, provider });
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return this.render();
  }
}
