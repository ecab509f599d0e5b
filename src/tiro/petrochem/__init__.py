"""석유화학산업 구조개편 — report section 2: the cracker registry, restructuring projects and
their workflow, target tracking, cracker economics and the rationalisation optimiser."""
