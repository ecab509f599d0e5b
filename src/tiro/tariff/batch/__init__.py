"""Batch pricing of declaration files (일괄 관세 계산): reading a user's file safely and streaming it through the engine."""
