import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { resolveInside } from '../common/contained-path';
import { DomainError, invalid } from '../common/domain-error';

/** Most images in one reference, whichever way they come (upload or folder). */
export const MAX_REFERENCE_IMAGES = 100_000;

const IMAGE_FILE = /\.(png|jpe?g|webp)$/i;

export interface ReferenceImageFile {
  /** Relative to the folder, for messages. */
  name: string;
  path: string;
}

/**
 * The PNG, JPEG and WebP files of a folder under REFERENCE_DIR, its subfolders included (a class
 * per subfolder is a common layout), in name order. Links are not followed.
 */
export async function referenceImagesUnder(root: string | undefined, path: string): Promise<ReferenceImageFile[]> {
  const names = {
    setting: 'REFERENCE_DIR',
    kind: 'folder',
    code: 'reference',
    otherwise: 'upload the images',
  } as const;
  const folder = await resolveInside(root, path, names);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && IMAGE_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({ name: relative(folder, file), path: file }));
  if (files.length === 0)
    throw invalid('reference_folder_empty', `${path} in REFERENCE_DIR holds no PNG, JPEG or WebP`);
  if (files.length > MAX_REFERENCE_IMAGES) {
    throw new DomainError(
      'payload_too_large',
      'too_many_items',
      `${path} in REFERENCE_DIR holds ${files.length} images; a reference takes at most ${MAX_REFERENCE_IMAGES}`,
      { limit: MAX_REFERENCE_IMAGES },
    );
  }
  return files;
}
