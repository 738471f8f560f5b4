"""Products bought together: baskets, frequent itemsets, association rules, recommendations, and ``run`` (rules for an opened file)."""
