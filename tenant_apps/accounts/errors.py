from __future__ import annotations


class StaffInviteError(Exception):
    """The invitation cannot be sent; the message is safe to show to the owner."""


class StaffDeactivateError(Exception):
    """The staff member cannot be deactivated; the message is safe to show to the owner."""
