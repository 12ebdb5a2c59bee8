"""Helpers behind deploy/local/stack.py: the local stack without Docker (stdlib only)."""


class StackError(Exception):
    """A step failed; the message says what failed, why, and what to do."""
