import type { Metadata } from "next";
import { ImageNotFound } from "@/components/image-detail/image-states";

export const metadata: Metadata = { title: "Image not found" };

export default function NotFound() {
  return <ImageNotFound />;
}
