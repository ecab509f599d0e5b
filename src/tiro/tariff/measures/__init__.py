"""Chapter 99 measures as dated records (관세 조치): reading, validating, tabulating, citing and browsing them."""
