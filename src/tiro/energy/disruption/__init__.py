"""수급 차질 시나리오 Disruption scenarios: the day-by-day path (engine) and scenario files (io)."""
