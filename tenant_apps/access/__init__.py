"""Who may open a practice's pages and call its API: the lowest layer of tenant_apps, which every
app's views use (README.md, "Layers"). It imports no app: the roles come from the user model
(shared_apps/accounts), the fail-closed API base from shared_apps/web/api.py, the API's
authenticators from settings.

- `pages.py`: `staff_required(*roles)`, `staff_user` for staff pages.
- `api.py`: `PracticeStaffApiView`, `PracticeAccountApiView` (every practice API view derives from
  one), `api_staff_user`.
"""
