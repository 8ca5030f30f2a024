/** PluginDataV3 <-> PluginDataItem (what access plugins keep per request). */
import { Pb, obj, str } from './pb';

export interface PluginDataItem {
  /** Kind of the resource the data belongs to (PluginDataV3.SubKind), e.g. "access_request". */
  kind: string;
  /** Resource name: the request ID. */
  resource: string;
  /** Plugin name -> that plugin's key/value data. */
  entries: Record<string, Record<string, string>>;
}

export function pluginDataFromPb(pb: unknown): PluginDataItem {
  const d = obj(pb) ?? {};
  const entries: PluginDataItem['entries'] = {};
  for (const [plugin, entry] of Object.entries(obj(obj(d.Spec)?.Entries) ?? {})) entries[plugin] = { ...((obj(entry)?.Data as Record<string, string>) ?? {}) };
  return { kind: str(d.SubKind), resource: str(obj(d.Metadata)?.Name), entries };
}

export function pluginDataToPb(item: PluginDataItem): Pb {
  const Entries: Record<string, Pb> = {};
  for (const [plugin, data] of Object.entries(item.entries)) Entries[plugin] = { Data: { ...data } };
  return { Kind: 'plugin_data', SubKind: item.kind, Version: 'v3', Metadata: { Name: item.resource, Namespace: 'default' }, Spec: { Entries } };
}
