"""The pricing engine (관세 계산 엔진): lines -> pricing keys -> measures -> money, and one quote on top of it."""
