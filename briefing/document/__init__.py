"""The document side: template, compose (blocks with source ids), write, build."""
