"""briefing: build the Chairman's briefing and clear it by tracked changes in Word."""

__version__ = "0.1.0"
