import { useEffect, useState } from "react";

/** The loaded HTML image for `src`, or null until it has loaded (or when `src` is null). */
export function useHtmlImage(src: string | null): HTMLImageElement | null {
  const [img, setImg] = useState<{ src: string; el: HTMLImageElement } | null>(null);
  useEffect(() => {
    if (!src) return;
    const el = new window.Image();
    el.onload = () => setImg({ src, el });
    el.src = src;
    return () => {
      el.onload = null;
    };
  }, [src]);
  return img && img.src === src ? img.el : null;
}
