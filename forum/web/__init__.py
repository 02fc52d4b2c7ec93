"""Pieces of the web pages shared by the apps: seo (page meta, canonical URLs, JSON-LD),
pagination, admin_filters, text (line endings)."""
