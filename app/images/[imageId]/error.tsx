"use client";

import { ImageError } from "@/components/image-detail/image-states";

export default function ImageErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ImageError message={error.digest ? `Server error (reference ${error.digest}).` : error.message} retry={reset} />;
}
