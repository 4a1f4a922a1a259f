"""A facilitated session: dealing cards to tables, timing rounds, the saved session state."""
