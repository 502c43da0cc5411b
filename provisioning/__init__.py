"""Creating, switching and dropping practice schemas happens here and nowhere else (DESIGN §4)."""
