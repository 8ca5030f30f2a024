/**
 * The one module that imports cdktf. cdktf 0.21.0 is the last release (archived Dec 2025); its maintained
 * fork `cdktn` has the same API under new package names, so moving means changing this file.
 */
export {
  App,
  Annotations,
  AnnotationMetadataEntryType,
  CloudBackend,
  GcsBackend,
  LocalBackend,
  Manifest,
  NamedCloudWorkspace,
  RemoteBackend,
  S3Backend,
  TerraformOutput,
  TerraformProvider,
  TerraformRemoteState,
  TerraformBackend,
  TerraformElement,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
} from 'cdktf';
export type { AppConfig, IStackSynthesizer, ISynthesisSession, LocalExecProvisioner, TerraformMetaArguments, TerraformResourceConfig, TerraformProviderConfig } from 'cdktf';
