"""Input an attacker or a careless export sends, shared by the tests that check Portico refuses
it with a 400 or a form error, never a 500."""

from __future__ import annotations

# Valid in shape (64-character local part, 63-character labels) but 264 characters long: more
# than any email column holds (254).
TOO_LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".example"
# Exactly 254 characters: the longest address the columns hold.
LONGEST_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 2) + "." + "c" * 61
# `[[[[…]]]]` 100,000 deep: more than Python's recursion limit lets json.loads descend.
DEEPLY_NESTED_JSON = "[" * 100_000 + "]" * 100_000
