import type { Sharp } from 'sharp';
import type { InputSpec } from '../runtime/types';

/** Where the centre crop is cut from the resized image. */
export interface CropGeometry {
  resizeWidth: number;
  resizeHeight: number;
  left: number;
  top: number;
}

/** Python's round(): halves go to the even neighbour (torchvision's CenterCrop uses it). */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * torchvision's Resize(shorterSide) then CenterCrop((height, width)), to the pixel: the shorter
 * side becomes shorterSide, the longer int(shorterSide * long / short), and the crop starts at
 * round((resized - crop) / 2) on each axis.
 */
export function centreCropGeometry(
  width: number,
  height: number,
  shorterSide: number,
  crop: { width: number; height: number },
): CropGeometry {
  const portrait = width <= height;
  const long = Math.floor((shorterSide * (portrait ? height : width)) / (portrait ? width : height));
  const [resizeWidth, resizeHeight] = portrait ? [shorterSide, long] : [long, shorterSide];
  return {
    resizeWidth,
    resizeHeight,
    left: roundHalfEven((resizeWidth - crop.width) / 2),
    top: roundHalfEven((resizeHeight - crop.height) / 2),
  };
}

/** Brings an image of width x height to the spec's size by its resize policy (default: stretch). */
export function applyResize(img: Sharp, width: number, height: number, spec: InputSpec): Sharp {
  const policy = spec.resize ?? { mode: 'fill' };
  if (policy.mode === 'fill') {
    // Resampling an image that already fits would blur it; keep the exact pixels instead.
    return width === spec.width && height === spec.height ? img : img.resize(spec.width, spec.height, { fit: 'fill' });
  }
  const g = centreCropGeometry(width, height, policy.shorterSide, spec);
  const resized =
    g.resizeWidth === width && g.resizeHeight === height
      ? img
      : img.resize(g.resizeWidth, g.resizeHeight, { fit: 'fill' });
  // Called after resize(), sharp extracts from the resized image.
  return resized.extract({ left: g.left, top: g.top, width: spec.width, height: spec.height });
}
