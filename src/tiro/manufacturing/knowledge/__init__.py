"""암묵지 Tacit knowledge: experts' rules of thumb as versioned, testable decision rules."""
