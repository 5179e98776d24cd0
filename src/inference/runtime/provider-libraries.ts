import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProviderName } from './types';

// Providers that onnxruntime-node loads from separate shared libraries next to its native binding
// (installed by its install script, skipped by this repository's .npmrc). The others are built in.
const PROVIDER_LIBRARIES: Partial<Record<ProviderName, Partial<Record<NodeJS.Platform, string[]>>>> = {
  cuda: {
    linux: ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'],
    win32: ['onnxruntime_providers_shared.dll', 'onnxruntime_providers_cuda.dll'],
  },
};

/** The folder onnxruntime-node loads its binding (and provider libraries) from. */
export function onnxruntimeBindingDir(platform: string = process.platform, arch: string = process.arch): string {
  const packageDir = dirname(require.resolve('onnxruntime-node/package.json'));
  return join(packageDir, 'bin', 'napi-v6', platform, arch);
}

/**
 * Why `provider` cannot be asked for here (a missing library, or none built for this platform),
 * or undefined when it can. Asking onnxruntime for an absent provider makes it print its own
 * error line on every model load before Vigil can fall back quietly.
 */
export function providerNotInstalled(
  provider: ProviderName,
  bindingDir: string = onnxruntimeBindingDir(),
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const libraries = PROVIDER_LIBRARIES[provider];
  if (!libraries) return undefined;
  const needed = libraries[platform];
  if (!needed) return `onnxruntime-node has no ${provider} provider for ${platform}`;
  const missing = needed.map((name) => join(bindingDir, name)).find((path) => !existsSync(path));
  return missing ? `${missing} not found` : undefined;
}
