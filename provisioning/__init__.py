"""Creating, switching and dropping practice schemas happens here and nowhere else (DESIGN.md §4)."""
