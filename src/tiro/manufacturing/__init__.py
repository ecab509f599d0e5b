"""M.AX 제조AI 대전환 (report section 5): programme registry, KPIs, quality and reliability models."""
