"""M.AX 프로그램 The programme: organisations, alliances, AI-factory projects, R&D, KPIs and counts."""
