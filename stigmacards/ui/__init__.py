"""Adapters to the terminal: consoles, renderers, prompts, keys and live displays."""
