"""Russian language helpers shared by every layer (bottom layer, imports nothing of the project)."""
