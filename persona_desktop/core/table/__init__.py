"""Tables as the owner's files hold them: what each column means (roles), cleaning as visible steps, the money paid, and one row per customer; ``understand`` strings them together."""
