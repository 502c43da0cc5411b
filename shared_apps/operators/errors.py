from __future__ import annotations


class OperatorError(Exception):
    """A request about an operator account that cannot be carried out, with a sentence why."""
