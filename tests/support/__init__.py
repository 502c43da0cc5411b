"""What tests share besides fixtures: helper functions, constants and fakes, one module per area.

Test modules and conftests import from here; nothing imports a conftest (a conftest only declares
fixtures, some of them built from these helpers)."""
