"""Predictions: targets, models, honest evaluation against guessing, model files, and ``run`` (compare, score, explain)."""
