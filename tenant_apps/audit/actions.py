"""Every action the practice's audit log records. Services name one of these, never a string;
the value is what the `action` column holds (a prefix such as `client.` filters a family)."""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    API_TOKEN_CREATED = "api_token.created", "Created an API token"
    API_TOKEN_REVOKED = "api_token.revoked", "Revoked an API token"
    AUDIT_VIEWED = "audit.viewed", "Viewed the audit log"
    CLIENT_ARCHIVED = "client.archived", "Archived a client"
    CLIENT_CREATED = "client.created", "Added a client"
    CLIENT_DELIVERIES_VIEWED = "client.deliveries_viewed", "Viewed a client's email deliveries"
    CLIENT_IMPORTED = "client.imported", "Imported clients"
    CLIENT_LISTED = "client.listed", "Listed clients"
    CLIENT_UNARCHIVED = "client.unarchived", "Restored an archived client"
    CLIENT_UPDATED = "client.updated", "Changed a client's details"
    CLIENT_VIEWED = "client.viewed", "Viewed a client's profile"
    CONVERSATION_CLOSED = "conversation.closed", "Closed a conversation"
    CONVERSATION_LISTED = "conversation.listed", "Listed conversations"
    CONVERSATION_REOPENED = "conversation.reopened", "Reopened a conversation"
    CONVERSATION_VIEWED = "conversation.viewed", "Read a conversation"
    DOCUMENT_DOWNLOADED = "document.downloaded", "Downloaded a shared document"
    DOCUMENT_SHARED = "document.shared", "Shared a document"
    DOCUMENT_UNSHARED = "document.unshared", "Stopped sharing a document"
    DOCUMENTS_VIEWED = "documents.viewed", "Viewed a client's documents"
    FORM_ARCHIVED = "form.archived", "Archived a form"
    FORM_CREATED = "form.created", "Created a form"
    FORM_DOWNLOADED = "form.downloaded", "Downloaded a submitted form"
    FORM_EDITED = "form.edited", "Edited a form"
    FORM_LISTED = "form.listed", "Listed a client's forms"
    FORM_SHARED = "form.shared", "Shared a form"
    FORM_SIGNED = "form.signed", "Signed a form"
    FORM_STARTED = "form.started", "Started a form"
    FORM_SUBMITTED = "form.submitted", "Submitted a form"
    FORM_UNARCHIVED = "form.unarchived", "Restored an archived form"
    FORM_UNSHARED = "form.unshared", "Stopped sharing a form"
    FORM_VIEWED = "form.viewed", "Viewed a submitted form"
    INVITATION_ACCEPTED = "invitation.accepted", "Accepted a portal invitation"
    INVITATION_RESENT = "invitation.resent", "Resent a portal invitation"
    INVITATION_REVOKED = "invitation.revoked", "Revoked portal access"
    INVITATION_SENT = "invitation.sent", "Sent a portal invitation"
    MESSAGE_SENT = "message.sent", "Sent a secure message"
    MESSAGE_ATTACHMENT_DOWNLOADED = (
        "message_attachment.downloaded",
        "Downloaded a message attachment",
    )
    MESSAGING_PREFERENCE_UPDATED = "messaging.preference_updated", "Changed message email alerts"
    ONBOARDING_COMPLETED = "onboarding.completed", "Completed onboarding"
    ONBOARDING_STEP_COMPLETED = "onboarding.step_completed", "Completed an onboarding step"
    PASSWORD_CHANGED = "password.changed", "Changed a password"
    PASSWORD_RESET = "password.reset", "Reset a password"
    PASSWORD_RESET_REQUESTED = "password.reset_requested", "Asked for a password reset"
    PORTAL_ACCESS_UPDATED = "portal_access.updated", "Changed a client's portal access"
    PREFERENCES_UPDATED = "preferences.updated", "Changed communication preferences"
    PROFILE_UPDATED = "profile.updated", "Changed a profile"
    SESSIONS_ENDED = "sessions.ended", "Signed out other sessions"
    SETTINGS_PORTAL_UPDATED = "settings.portal_updated", "Changed the portal settings"
    SETTINGS_STAFF_TWO_FACTOR_CHANGED = (
        "settings.staff_two_factor_changed",
        "Changed the two-factor requirement for staff",
    )
    SIGNATURE_DOWNLOADED = "signature.downloaded", "Downloaded a signature's evidence"
    SIGNATURE_VERIFIED = "signature.verified", "Verified a signature"
    SIGNATURE_VIEWED = "signature.viewed", "Viewed a signature's evidence"
    SIGNIN_FAILED = "signin.failed", "Failed to sign in"
    SIGNIN_LOCKED = "signin.locked", "Was locked out after failed sign-ins"
    SIGNIN_SUCCEEDED = "signin.succeeded", "Signed in"
    SIGNOUT = "signout", "Signed out"
    STAFF_DEACTIVATED = "staff.deactivated", "Deactivated a staff member"
    STAFF_INVITED = "staff.invited", "Invited a staff member"
    STAFF_JOINED = "staff.joined", "Joined the practice's team"
    STAFF_NOTIFICATIONS_DIGEST_CHANGED = (
        "staff_notifications.digest_changed",
        "Changed the daily digest setting",
    )
    STAFF_NOTIFICATIONS_LISTED = "staff_notifications.listed", "Listed notifications"
    TWO_FACTOR_ENROLLED = "two_factor.enrolled", "Set up two-factor authentication"
    TWO_FACTOR_FAILED = "two_factor.failed", "Entered a wrong two-factor code"
    TWO_FACTOR_VERIFIED = "two_factor.verified", "Passed two-factor authentication"
    UPLOAD_DOWNLOADED = "upload.downloaded", "Downloaded a client's upload"
    UPLOAD_RECEIVED = "upload.received", "Uploaded a file"
