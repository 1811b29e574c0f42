/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // A separate build folder lets several builds (e.g. parallel e2e runs) coexist in one checkout.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};

export default nextConfig;
