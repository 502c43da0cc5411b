"""What clients submit: drafts, submissions, signature evidence, and the staff pages, API and PDFs
that read them (`services`, `selectors`, `views`, `api`, `downloads`, `signals`). Its URL modules
stay at `tenant_apps/forms/submission_urls.py` and `submission_api_urls.py`."""
