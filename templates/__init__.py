"""Shipped briefing templates: one folder each, holding reference.docx and Jinja2 wording."""
