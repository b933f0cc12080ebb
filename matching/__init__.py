"""Scoring and allocation engine: plain Python/NumPy over plain inputs, no Django imports."""
