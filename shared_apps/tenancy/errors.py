"""Errors of the tenancy app's services, each with a sentence for the person who caused it."""

from __future__ import annotations


class PracticeProfileError(Exception):
    """A practice name or time zone that cannot be saved, with a sentence saying why."""
