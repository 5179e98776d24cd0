import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnxruntimeBindingDir, providerNotInstalled } from './provider-libraries';

describe('providerNotInstalled', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vigil-ort-bin-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the binding folder onnxruntime-node loads from', () => {
    expect(onnxruntimeBindingDir('linux', 'x64')).toMatch(/onnxruntime-node\/bin\/napi-v6\/linux\/x64$/);
  });

  it('names the first missing CUDA library, and passes once both are there', () => {
    expect(providerNotInstalled('cuda', dir, 'linux')).toBe(
      `${join(dir, 'libonnxruntime_providers_shared.so')} not found`,
    );
    writeFileSync(join(dir, 'libonnxruntime_providers_shared.so'), '');
    expect(providerNotInstalled('cuda', dir, 'linux')).toBe(
      `${join(dir, 'libonnxruntime_providers_cuda.so')} not found`,
    );
    writeFileSync(join(dir, 'libonnxruntime_providers_cuda.so'), '');
    expect(providerNotInstalled('cuda', dir, 'linux')).toBeUndefined();
  });

  it('says when onnxruntime-node has no CUDA provider for the platform', () => {
    expect(providerNotInstalled('cuda', dir, 'darwin')).toBe('onnxruntime-node has no cuda provider for darwin');
  });

  it('never stops the providers built into the binding', () => {
    expect(providerNotInstalled('cpu', dir, 'linux')).toBeUndefined();
    expect(providerNotInstalled('webgpu', dir, 'linux')).toBeUndefined();
  });
});
