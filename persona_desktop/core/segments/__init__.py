"""Customer segments and their persona cards: features, the clustering methods, RFM, quality and stability, names that claim only what the figures show, and ``run`` (segments + cards)."""
