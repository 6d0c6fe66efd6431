"""Checks: accessibility, house style and plain English findings on any .docx."""
