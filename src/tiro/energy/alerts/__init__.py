"""자원안보 위기경보 Resource-security alerts: rules (engine, rules), decisions (service), 2026 timeline."""
