import type { ModelVersionEntity } from './model-version.entity';

/** A version as the API shows it (the ModelVersion schema), with the provider its session uses. */
export function modelVersionViewOf(version: ModelVersionEntity, provider: string | undefined) {
  return {
    id: version.id,
    name: version.name,
    version: version.version,
    role: version.role,
    provider: provider ?? 'not_loaded',
    labels: version.labels,
    inputSpec: version.inputSpec,
    fileSha256: version.fileSha256,
    edgesVersion: version.edgesVersion,
    createdAt: version.createdAt,
    promotedAt: version.promotedAt,
    retiredAt: version.retiredAt,
  };
}
