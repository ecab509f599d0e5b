"""The deal scenarios (관세협상 효과): Korea's export basket priced under several regimes side by side."""
