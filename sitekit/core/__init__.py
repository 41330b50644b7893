"""The core every plugin may import: errors, readers, settings, content rules.
It imports nothing else of the kit."""
