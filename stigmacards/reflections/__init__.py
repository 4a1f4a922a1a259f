"""Anonymous reflections: the store, the anonymity rules, personal-data detection, the flow, exchange."""
